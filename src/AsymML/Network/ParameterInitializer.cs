using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Network;

/// <summary>torchvision-style initial values for a spec's state dict, drawn from an explicit generator.</summary>
internal static class ParameterInitializer
{
    public static List<KeyValuePair<string, Tensor>> Create(NetworkSpec spec, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(generator);
        var result = new List<KeyValuePair<string, Tensor>>(spec.Parameters.Count);
        try
        {
            using (no_grad())
                foreach (ParameterEntry entry in spec.Parameters)
                    result.Add(new(entry.Name, Value(spec[entry.LayerPath], entry, generator)));
        }
        catch
        {
            foreach (var (_, tensor) in result) tensor.Dispose();
            throw;
        }
        return result;
    }

    private static Tensor Value(Layer layer, ParameterEntry entry, Generator generator)
    {
        long[] shape = entry.Shape.ToArray();
        return (layer, entry.Role) switch
        {
            (Conv2dLayer conv, ParameterRole.Weight) =>
                empty(shape).normal_(0, Math.Sqrt(2.0 / ((double)conv.OutChannels * conv.KernelHeight * conv.KernelWidth)), generator),
            (Conv2dLayer, ParameterRole.Bias) => zeros(shape),
            (LinearLayer linear, _) => empty(shape).uniform_(-1 / Math.Sqrt(linear.InFeatures), 1 / Math.Sqrt(linear.InFeatures), generator),
            (BatchNorm2dLayer, ParameterRole.Weight or ParameterRole.RunningVar) => ones(shape),
            (BatchNorm2dLayer, ParameterRole.Bias or ParameterRole.RunningMean) => zeros(shape),
            (BatchNorm2dLayer, ParameterRole.BatchesTracked) => zeros(shape, ScalarType.Int64),
            _ => throw new NotSupportedException($"No initial value for '{entry.Name}' of a {layer.Kind} layer."),
        };
    }
}
