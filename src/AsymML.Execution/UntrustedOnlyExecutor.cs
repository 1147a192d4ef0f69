using AsymML.Optimization;
using System.Diagnostics;
using AsymML.Accelerator;
using AsymML.Execution.Plaintext;
using AsymML.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using AsymML.Data;

namespace AsymML.Execution;

/// <summary>The whole network on the accelerator in plaintext with ordinary autograd: the fast baseline, and the
/// oracle the split must match. Not private: the host sees everything. It runs no enclave code: it takes plaintext
/// data only (the owner opens sealed data for it) and makes batches with the same <see cref="Data.ImageBatches"/> as
/// the enclave, so batches, normalisation and augmentation are identical.</summary>
public sealed class UntrustedOnlyExecutor : IExecutor
{
    private readonly ReferenceNetwork _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Device _device;
    private readonly HostDataSets _data;

    /// <summary>Builds the model from <paramref name="initialState"/> on the accelerator's device.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="initialState">Initial weights and BatchNorm buffers.</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="accelerator">Device and threads.</param>
    /// <param name="augmentation">Augmentation of training batches; null for none.</param>
    /// <param name="augmentationSeed">Seed of the augmentation secret (the enclave's is the same when seeded).</param>
    public UntrustedOnlyExecutor(NetworkSpec spec, StateDict initialState, OptimizerSettings optimizer, AcceleratorSettings? accelerator = null,
        Data.Augmentation? augmentation = null, long? augmentationSeed = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        AcceleratorSettings settings = accelerator ?? new AcceleratorSettings();
        if (settings.Threads is int threads) set_num_threads(threads);
        _device = settings.Device;
        _model = new ReferenceNetwork(spec, initialState);
        _model.to(_device);
        _optimizer = optimizer.Create(_model.parameters().Cast<Parameter>());
        _data = new HostDataSets(augmentation, augmentationSeed);
    }

    /// <inheritdoc />
    public ExecutionMode Mode => ExecutionMode.UntrustedOnly;

    /// <summary>The model, for tests (the oracle's logits and gradients).</summary>
    internal ReferenceNetwork Model => _model;

    /// <inheritdoc />
    public StepReport TrainStep(Tensor input, Tensor labels) => Run(input, labels, training: true);

    /// <inheritdoc />
    public StepReport Infer(Tensor input, Tensor labels) => Run(input, labels, training: false);

    /// <inheritdoc />
    public StateDict ExportState() => StateDict.FromModule(_model);

    /// <inheritdoc />
    public int Provision(string split, DataSource source) => _data.Add(split, source);

    /// <inheritdoc />
    public StepReport TrainStep(string split, long[] indices, long sequence)
    {
        (Tensor input, Tensor labels) = _data.Batch(split, indices, sequence, training: true);
        using (input)
        using (labels)
            return Run(input, labels, training: true);
    }

    /// <inheritdoc />
    public StepReport Infer(string split, long[] indices)
    {
        (Tensor input, Tensor labels) = _data.Batch(split, indices, 0, training: false);
        using (input)
        using (labels)
            return Run(input, labels, training: false, record: (split, indices));
    }

    /// <inheritdoc />
    public void SetLearningRate(double learningRate) => OptimizerSnapshot.SetLearningRate(_optimizer, learningRate);

    /// <inheritdoc />
    public TrainingState ExportTrainingState() => new(StateDict.FromModule(_model), OptimizerSnapshot.Export(_optimizer), []);

    /// <inheritdoc />
    public bool ResumeFrom(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.State.CopyTo(_model);
        if (state.OptimizerState.Length > 0) OptimizerSnapshot.Import(_optimizer, state.OptimizerState);
        return false; // no enclave: nothing to authenticate against
    }

    /// <inheritdoc />
    public EvaluationResult Evaluate(string split) => _data.TakeEvaluation(split);

    private StepReport Run(Tensor input, Tensor labels, bool training, (string Split, long[] Indices)? record = null)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        _model.train(training);
        using IDisposable? noGrad = training ? null : no_grad();
        Tensor y = labels.to(ScalarType.Int64).to(_device);
        Tensor logits = _model.forward(input.to(_device));
        Tensor loss = nn.functional.cross_entropy(logits, y);
        double lossValue = loss.ToDouble();
        if (training && double.IsFinite(lossValue)) // as in the enclave: a diverged step updates nothing
        {
            _optimizer.zero_grad();
            loss.backward();
            _optimizer.step();
        }
        int correct = (int)logits.argmax(1).eq(y).sum().item<long>();
        if (record is var (split, indices))
            _data.RecordPredictions(split, indices, logits, y);
        double seconds = clock.Elapsed.TotalSeconds;
        return new StepReport(lossValue, correct, (int)labels.shape[0], new StepTimings(seconds, 0, seconds, 0, 0));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }
}
