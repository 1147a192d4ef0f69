using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AsymML.Optimization;

/// <summary>An optimizer's state as bytes (TorchSharp's own format), so a resumed run continues with the same
/// momentum buffers and step counts as an uninterrupted one; and its learning rate, for schedules.</summary>
public static class OptimizerSnapshot
{
    /// <summary>The state of <paramref name="optimizer"/>.</summary>
    public static byte[] Export(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            Helper(optimizer).save_state_dict(writer);
        return stream.ToArray();
    }

    /// <summary>Loads <paramref name="state"/> (from <see cref="Export"/>) into <paramref name="optimizer"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes do not fit this optimizer.</exception>
    public static void Import(optim.Optimizer optimizer, byte[] state)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        using var reader = new BinaryReader(new MemoryStream(state, writable: false));
        try
        {
            Helper(optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or IOException or InvalidOperationException)
        {
            throw new InvalidDataException($"The saved optimizer state does not fit this optimizer: {e.Message}", e);
        }
        if (reader.BaseStream.Position != state.Length)
            throw new InvalidDataException($"The saved optimizer state has {state.Length - reader.BaseStream.Position} bytes this optimizer did not read.");
    }

    /// <summary>Sets the learning rate of every parameter group (a schedule's step).</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        foreach (var group in Helper(optimizer).ParamGroups)
            group.LearningRate = learningRate;
    }

    private static OptimizerHelper Helper(optim.Optimizer optimizer) => optimizer as OptimizerHelper
        ?? throw new NotSupportedException($"{optimizer.GetType().Name} cannot save its state.");
}
