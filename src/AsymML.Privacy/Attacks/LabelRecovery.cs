using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// Label recovery from what the host sees of a training step (cross-entropy loss, mean over the batch).
/// <list type="bullet">
/// <item><see cref="CountsFromClassifierGradient"/>: the classifier's batch-summed gradient. Its bias gradient is
/// Σ_b (p_b − onehot(y_b)) / B, so at batch 1 its only negative entry is the label (iDLG, Zhao, Mopuri, Bilen 2020);
/// without a bias the weight gradient's row sums carry the same signs when the classifier's inputs are ≥ 0 (after a
/// ReLU). At batch B a class with a negative entry is certainly present; the other B − |present| labels are given out
/// in proportion to the entries' magnitudes (D'Hondt), a multiset guess (in the manner of LLG, Wainakh et al. 2022).</item>
/// <item><see cref="PerSampleFromOutputGradient"/>: dY of a split convolution near the classifier, which the host
/// receives per sample. Between it and the classifier there are only BatchNorm, ReLU, pooling and flatten, so
/// pooling dY back (sum over each window), dividing by each channel's BatchNorm weight γ (public) and projecting on
/// the classifier's rows gives ≈ W (p_b − onehot(y_b)) · Wᵀ up to positive per-channel scales (1/σ of the batch,
/// unknown) and the ReLU mask: the most negative score is the label, for every sample of any batch.</item>
/// </list>
/// </summary>
public static class LabelRecovery
{
    /// <summary>The network's classifier: its last top-level layer, which must be a <see cref="LinearLayer"/>.</summary>
    /// <exception cref="NotSupportedException">The network does not end in a Linear layer.</exception>
    public static LinearLayer Classifier(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Layers[^1] as LinearLayer
            ?? throw new NotSupportedException($"Label recovery reads the classifier's gradient; {spec.Name} ends in {spec.Layers[^1].Kind} '{spec.Layers[^1].Path}', not a Linear layer.");
    }

    /// <summary>How many samples of each class the batch holds, estimated from the classifier's summed gradients.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="gradients">Batch-summed gradients by parameter name (at least the classifier's).</param>
    /// <param name="batchSize">Samples in the batch (the host chose the batch: it knows).</param>
    /// <returns>A count per class, summing to <paramref name="batchSize"/>.</returns>
    public static int[] CountsFromClassifierGradient(NetworkSpec spec, IReadOnlyDictionary<string, Tensor> gradients, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        LinearLayer classifier = Classifier(spec);
        using var scope = NewDisposeScope();
        Tensor signal = classifier.HasBias
            ? gradients[classifier.Path + ".bias"]
            : gradients[classifier.Path + ".weight"].sum([1L]);
        double[] s = signal.to(ScalarType.Float64).data<double>().ToArray();
        int classes = s.Length;
        var counts = new int[classes];
        int[] present = Enumerable.Range(0, classes).Where(k => s[k] < 0).OrderBy(k => s[k]).ToArray();
        if (present.Length == 0) // no negative entry (a degenerate gradient): the most negative one is the best guess
            present = [Enumerable.Range(0, classes).MinBy(k => s[k])];
        foreach (int k in present.Take(batchSize)) counts[k] = 1;
        for (int left = batchSize - counts.Sum(); left > 0; left--)
        {
            int best = present.MaxBy(k => -s[k] / (counts[k] + 1));
            counts[best]++;
        }
        return counts;
    }

    /// <summary><see cref="CountsFromClassifierGradient"/> as a list of labels in class order.</summary>
    public static long[] MultisetFromClassifierGradient(NetworkSpec spec, IReadOnlyDictionary<string, Tensor> gradients, int batchSize) =>
        CountsFromClassifierGradient(spec, gradients, batchSize).SelectMany((n, k) => Enumerable.Repeat((long)k, n)).ToArray();

    /// <summary>The label of each sample, from dY [B, M, H, W] of convolution <paramref name="layer"/>.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="weights">Its public weights (BatchNorm γ, the classifier).</param>
    /// <param name="layer">A convolution followed only by BatchNorm, ReLU, pooling, dropout and flatten up to the classifier.</param>
    /// <param name="outputGradient">dY of <paramref name="layer"/>.</param>
    /// <returns>One label per sample, in batch order.</returns>
    /// <exception cref="NotSupportedException">Another kind of layer lies between <paramref name="layer"/> and the classifier.</exception>
    public static long[] PerSampleFromOutputGradient(NetworkSpec spec, StateDict weights, string layer, Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(outputGradient);
        LinearLayer classifier = Classifier(spec);
        int at = spec.Layers.Select((l, i) => (l, i)).FirstOrDefault(p => p.l.Path == layer, (null!, -1)).Item2;
        if (at < 0)
            throw new ArgumentException($"'{layer}' is not a top-level layer of {spec.Name}.", nameof(layer));
        using var scope = NewDisposeScope();
        Tensor z = outputGradient.to(ScalarType.Float64);
        foreach (Layer next in spec.Layers.Skip(at + 1).Take(spec.Layers.Count - at - 2))
        {
            z = next switch
            {
                BatchNorm2dLayer bn when bn.Affine => z / weights[bn.Path + ".weight"].to(ScalarType.Float64).view(1, -1, 1, 1),
                BatchNorm2dLayer or ReLULayer or DropoutLayer => z,
                Pool2dLayer pool => nn.functional.avg_pool2d(z, pool.KernelSize, pool.Stride, pool.Padding, pool.CeilMode) * (pool.KernelSize * pool.KernelSize),
                FlattenLayer => z.flatten(1),
                _ => throw new NotSupportedException($"Label recovery from dY of '{layer}' passes only BatchNorm, ReLU, pooling, dropout and flatten on the way to the classifier; '{next.Path}' is {next.Kind}."),
            };
        }
        Tensor scores = z.flatten(1).matmul(weights[classifier.Path + ".weight"].to(ScalarType.Float64).t());
        return scores.argmin(1).data<long>().ToArray();
    }
}
