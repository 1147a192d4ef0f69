using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AsymML.Optimization;

/// <summary>Optimizer and its hyper-parameters.</summary>
/// <param name="Kind">SGD or Adam.</param>
/// <param name="LearningRate">Step size.</param>
/// <param name="Momentum">SGD momentum (0 = none).</param>
/// <param name="Nesterov">SGD Nesterov momentum (needs momentum &gt; 0).</param>
/// <param name="WeightDecay">L2 weight decay.</param>
public sealed record OptimizerSettings(OptimizerKind Kind = OptimizerKind.Sgd, double LearningRate = 0.01, double Momentum = 0.9, bool Nesterov = false, double WeightDecay = 0)
{
    /// <summary>The TorchSharp optimizer over <paramref name="parameters"/>.</summary>
    public optim.Optimizer Create(IEnumerable<Parameter> parameters)
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be positive");
        if (Nesterov && Momentum <= 0) throw new ArgumentException("Nesterov momentum needs momentum > 0.");
        return Kind switch
        {
            OptimizerKind.Sgd => optim.SGD(parameters, LearningRate, momentum: Momentum, nesterov: Nesterov, weight_decay: WeightDecay),
            OptimizerKind.Adam => optim.Adam(parameters, LearningRate, weight_decay: WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown optimizer"),
        };
    }
}
