using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Session;
using AsymML.Enclave;
using AsymML.Execution;
using AsymML.Network;

namespace AsymML.Tests.Enclave;

/// <summary>A host that owns the socket's listening end and the accelerator, and does what a test tells it.</summary>
internal sealed class MaliciousHost : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2); // generous: a loaded machine is slow, never wrong
    private readonly SocketChannelListener _listener;
    private readonly SocketChannelEndpoint _endpoint;
    private readonly Thread _enclave;
    private long _step;

    public MaliciousHost(TempDir dir, EnclaveSettings settings)
    {
        NetworkSpec spec = settings.Spec;
        Accelerator = new AcceleratorRuntime(spec);
        // The enclave makes and updates the weights itself: SGD 0.05 from seed 5 unless the test's settings say otherwise.
        settings = settings.Optimizer is null ? settings with { Optimizer = new OptimizerSettings(LearningRate: 0.05), WeightSeed = 5 } : settings;
        string socket = dir.File("enclave.sock");
        _listener = SocketChannel.Listen(socket, BoundarySide.Host);
        _enclave = new Thread(() =>
        {
            try
            {
                using SocketChannelEndpoint end = SocketChannel.Connect(socket, BoundarySide.Enclave, Patience);
                using var runtime = new EnclaveRuntime(end, settings);
                runtime.Serve();
            }
            catch (Exception e)
            {
                EnclaveFailure = e;
            }
        }) { IsBackground = true, Name = "enclave under attack" };
        _enclave.Start();
        _endpoint = _listener.Accept(Patience);
    }

    public AcceleratorRuntime Accelerator { get; }

    /// <summary>An exception that escaped the enclave's serve loop (there should never be one).</summary>
    public Exception? EnclaveFailure { get; private set; }

    /// <summary>Applied to every reply of the accelerator before it is sent: the lie.</summary>
    public Func<BoundaryMessage, BoundaryMessage>? Tamper { get; set; }

    public int GradientExchanges { get; private set; }

    public void Send(BoundaryMessage message)
    {
        using (message) _endpoint.Send(message);
    }

    /// <summary>The weights the enclave last sent for the split convolutions (public).</summary>
    public StateDict PublicWeights() => Accelerator.Weights();

    public void Provision(string split, DataSource source)
    {
        foreach (BoundaryMessage m in DataProvisioning.Messages(split, source)) Send(m);
    }

    public T Receive<T>() where T : BoundaryMessage
    {
        BoundaryMessage message = _endpoint.Receive(Patience);
        if (message is T typed) return typed;
        using (message)
            throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {message.Kind}{(message is ErrorMessage e ? ": " + e.Text : "")}");
    }

    public string Refusal()
    {
        using ErrorMessage error = Receive<ErrorMessage>();
        return error.Text;
    }

    public void SendStep(StepKind kind, string split, long[] indices, double? learningRate = null)
    {
        using (var selected = torch.tensor(indices))
            Send(new SelectBatch(split, selected, ++_step));
        Send(new RunStep(kind, _step, learningRate));
    }

    /// <summary>A step answered by the accelerator; fails unless it ends with a <see cref="StepResult"/>.</summary>
    public StepResult Step(StepKind kind, string split, long[] indices, double? learningRate = null)
    {
        BoundaryMessage last = Drive(kind, split, indices, learningRate);
        if (last is StepResult result) return result;
        using (last)
            throw new Xunit.Sdk.XunitException($"the step ended with {last.Kind}{(last is ErrorMessage e ? ": " + e.Text : "")}");
    }

    /// <summary>Sends a step and answers the enclave (corrupting as told) until it sends a result or an error.</summary>
    public BoundaryMessage Drive(StepKind kind, string split, long[] indices, double? learningRate = null)
    {
        SendStep(kind, split, indices, learningRate);
        while (true)
        {
            BoundaryMessage message = _endpoint.Receive(Patience);
            if (message is StepResult or ErrorMessage) return message;
            using (message)
            {
                if (message is WeightGradients) GradientExchanges++;
                BoundaryMessage? reply = Accelerator.Handle(message);
                if (reply is null) continue;
                Send(Tamper?.Invoke(reply) ?? reply);
            }
        }
    }

    public bool EnclaveEnded() => _enclave.Join(Patience);

    public void Dispose()
    {
        _endpoint.Dispose();
        _enclave.Join(Patience);
        _listener.Dispose();
        Accelerator.Dispose();
    }
}
