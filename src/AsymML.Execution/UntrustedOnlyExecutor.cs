using System.Diagnostics;
using AsymML.Accelerator;
using AsymML.Boundary.Messages;
using AsymML.Enclave.Data;
using AsymML.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AsymML.Execution;

/// <summary>The whole network on the accelerator in plaintext with ordinary autograd: the fast baseline, and the
/// oracle the split must match. Not private: the host sees everything — it even opens sealed data sets itself
/// (with the same <see cref="PrivateDataSets"/> code the enclave uses, so batches, normalisation and augmentation
/// are identical), which is why this mode needs the key on the host.</summary>
public sealed class UntrustedOnlyExecutor : IExecutor
{
    private readonly ReferenceNetwork _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Device _device;
    private readonly PrivateDataSets _data;

    /// <summary>Builds the model from <paramref name="initialState"/> on the accelerator's device.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="initialState">Initial weights and BatchNorm buffers.</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="accelerator">Device and threads.</param>
    /// <param name="data">Key file and augmentation for provisioned data sets (the key is read here, on the host).</param>
    public UntrustedOnlyExecutor(NetworkSpec spec, StateDict initialState, OptimizerSettings optimizer, AcceleratorSettings? accelerator = null,
        PrivateDataOptions? data = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        AcceleratorSettings settings = accelerator ?? new AcceleratorSettings();
        if (settings.Threads is int threads) set_num_threads(threads);
        _device = settings.Device;
        _model = new ReferenceNetwork(spec, initialState);
        _model.to(_device);
        _optimizer = optimizer.Create(_model.parameters().Cast<Parameter>());
        _data = new PrivateDataSets(data ?? new PrivateDataOptions());
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
    public int Provision(string split, DataSource source)
    {
        try
        {
            int? count = null;
            foreach (BoundaryMessage message in DataProvisioning.Messages(split, source))
                using (message)
                    count = _data.Accept(message);
            return count ?? throw new InvalidOperationException($"The data set '{split}' did not end.");
        }
        catch (Exception e) when (e is IOException or Enclave.EnclaveException)
        {
            throw new ExecutionException($"The data set '{split}' was refused: {e.Message}", e);
        }
    }

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
    public byte[] ExportOptimizerState() => OptimizerSnapshot.Export(_optimizer);

    /// <inheritdoc />
    public void ImportOptimizerState(byte[] state) => OptimizerSnapshot.Import(_optimizer, state);

    /// <inheritdoc />
    public EvaluationResult Evaluate(string split)
    {
        try
        {
            (Evaluation e, byte[] predictions, bool sealedToOwner) = _data.TakeEvaluation(split);
            return new EvaluationResult(e.Classes, e.Confusion, predictions, sealedToOwner);
        }
        catch (Enclave.EnclaveException e)
        {
            throw new ExecutionException(e.Message, e);
        }
    }

    private StepReport Run(Tensor input, Tensor labels, bool training, (string Split, long[] Indices)? record = null)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        _model.train(training);
        using IDisposable? noGrad = training ? null : no_grad();
        Tensor y = labels.to(ScalarType.Int64).to(_device);
        Tensor logits = _model.forward(input.to(_device));
        Tensor loss = nn.functional.cross_entropy(logits, y);
        if (training)
        {
            _optimizer.zero_grad();
            loss.backward();
            _optimizer.step();
        }
        int correct = (int)logits.argmax(1).eq(y).sum().item<long>();
        if (record is var (split, indices))
            _data.RecordPredictions(split, indices, logits, y);
        double seconds = clock.Elapsed.TotalSeconds;
        return new StepReport(loss.ToDouble(), correct, (int)labels.shape[0], new StepTimings(seconds, 0, seconds, 0, 0));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _data.Dispose();
    }
}
