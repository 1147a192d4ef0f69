using TorchSharp;
using AsymML.Data;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// The optimisation of gradient inversion: a dummy batch (normalised pixels, from a seeded Gaussian start) is moved
/// by Adam so that its gradients on the attacker's copy of the network (public weights, training mode) match the
/// observed ones, the dummy boxed to the valid pixel range after every step. Groups matched: all weight gradients as one vector, and, with
/// <see cref="GradientInversionOptions.MatchOutputGradients"/>, dY of each split convolution. Keeps the dummy of the
/// lowest objective seen.
/// </summary>
internal sealed class GradientMatcher(NetworkSpec spec, StateDict weights, GradientInversionOptions options, Normalization normalization,
    IReadOnlyList<string> outputLayers)
{
    /// <summary>The reconstruction, in pixels [B, C, H, W] in [0, 1].</summary>
    public Tensor Reconstruct(IReadOnlyDictionary<string, Tensor> gradients, IReadOnlyDictionary<string, Tensor> outputGradients, Tensor labels, Tensor start)
    {
        using var replica = new NetworkReplica(spec, weights);
        replica.Train(true);
        using var outer = NewDisposeScope();
        Tensor[] targets = replica.ParameterNames.Select(n => gradients[n].detach()).ToArray();
        string[] layers = options.MatchOutputGradients ? outputLayers.ToArray() : [];
        Tensor[] dyTargets = layers.Select(l => outputGradients[l].detach()).ToArray();
        double targetNorm = targets.Sum(t => t.square().sum().ToDouble());
        double[] dyNorms = dyTargets.Select(t => t.square().sum().ToDouble()).ToArray();
        long channels = start.shape[1];
        Tensor mean = tensor(normalization.Mean.ToArray(), [1, channels, 1, 1], ScalarType.Float32);
        Tensor std = tensor(normalization.Std.ToArray(), [1, channels, 1, 1], ScalarType.Float32);
        Tensor low = (0 - mean) / std, high = (1 - mean) / std;
        Tensor x = start.clone().detach().requires_grad_(true);
        Tensor m = zeros_like(x), v = zeros_like(x);
        Tensor bestX = x.detach().clone();
        double bestLoss = double.PositiveInfinity;
        const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        double tv = options.TotalVariationWeight;
        for (int t = 1; t <= options.Iterations; t++)
        {
            using var step = NewDisposeScope();
            (Tensor[] g, Dictionary<string, Tensor> dy, _) = replica.Gradients(x, labels, layers, createGraph: true);
            Tensor loss = Objective(g, targets, targetNorm);
            for (int i = 0; i < layers.Length; i++)
                loss = loss + Objective([dy[layers[i]]], [dyTargets[i]], dyNorms[i]);
            double value = loss.ToDouble();
            if (tv > 0) loss = loss + tv * TotalVariation(x);
            Tensor grad = autograd.grad([loss], [x])[0];
            if (value < bestLoss && double.IsFinite(value))
            {
                bestLoss = value;
                bestX.copy_(x.detach());
            }
            if (!double.IsFinite(value)) break;
            if (options.Objective == GradientObjective.Cosine) grad = grad.sign();
            double lr = options.LearningRate * Math.Pow(0.1, new[] { 3.0 / 8, 5.0 / 8, 7.0 / 8 }.Count(f => t > f * options.Iterations));
            using (no_grad())
            {
                m.mul_(beta1).add_(grad, alpha: 1 - beta1);
                v.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
                Tensor mHat = m / (1 - Math.Pow(beta1, t)), vHat = v / (1 - Math.Pow(beta2, t));
                x.sub_(lr * mHat / (vHat.sqrt() + eps));
                x.copy_(maximum(minimum(x, high), low)); // Geiping's box: the attacker knows the pixel range (used for DLG too)
            }
        }
        // The final iterate counts too.
        using (var last = NewDisposeScope())
        {
            (Tensor[] g, Dictionary<string, Tensor> dy, _) = replica.Gradients(x, labels, layers, createGraph: false);
            double value = Objective(g, targets, targetNorm).ToDouble() + layers.Select((l, i) => Objective([dy[l]], [dyTargets[i]], dyNorms[i]).ToDouble()).Sum();
            if (value < bestLoss) bestX.copy_(x.detach());
        }
        return (bestX * std + mean).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>1 − cos(a, b) over the concatenated group (cosine), or ‖a − b‖² / ‖b‖² (L2).</summary>
    private Tensor Objective(IReadOnlyList<Tensor> a, IReadOnlyList<Tensor> b, double bNormSquared)
    {
        Tensor sum = zeros(1);
        if (options.Objective == GradientObjective.Cosine)
        {
            Tensor dot = zeros(1), aNorm = zeros(1);
            for (int i = 0; i < a.Count; i++)
            {
                dot = dot + (a[i] * b[i]).sum();
                aNorm = aNorm + a[i].square().sum();
            }
            return (1 - dot / (aNorm.sqrt() * Math.Sqrt(bNormSquared) + 1e-12)).squeeze();
        }
        for (int i = 0; i < a.Count; i++)
            sum = sum + (a[i] - b[i]).square().sum();
        return (sum / Math.Max(bNormSquared, 1e-30)).squeeze();
    }

    /// <summary>Mean absolute difference of neighbouring pixels, down and across.</summary>
    private static Tensor TotalVariation(Tensor x) =>
        (x[.., .., 1.., ..] - x[.., .., ..^1, ..]).abs().mean() + (x[.., .., .., 1..] - x[.., .., .., ..^1]).abs().mean();
}
