namespace AsymML.Network;

/// <summary>Batch normalisation over channels (<c>nn.BatchNorm2d</c>, tracking running statistics). State-dict
/// entries: <c>weight</c> and <c>bias</c> [C] when affine, then the buffers <c>running_mean</c>, <c>running_var</c>
/// [C] and <c>num_batches_tracked</c> (int64 scalar).</summary>
public sealed record BatchNorm2dLayer : Layer
{
    /// <summary>Creates a BatchNorm over <paramref name="channels"/> channels.</summary>
    /// <param name="path">Module path.</param>
    /// <param name="channels">C.</param>
    /// <param name="eps">Added to the variance before the square root (PyTorch default 1e-5).</param>
    /// <param name="momentum">Running-statistics update factor in [0, 1] (PyTorch default 0.1).</param>
    /// <param name="affine">Whether a learned scale and shift follow the normalisation.</param>
    public BatchNorm2dLayer(string path, int channels, double eps = 1e-5, double momentum = 0.1, bool affine = true) : base(path)
    {
        Channels = LayerChecks.Positive(channels, path, nameof(channels));
        if (!(eps > 0) || double.IsInfinity(eps))
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"Layer '{path}': eps must be a positive number, got {eps}.");
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"Layer '{path}': momentum must be in [0, 1], got {momentum}.");
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
    }

    /// <summary>C.</summary>
    public int Channels { get; }

    /// <summary>Variance epsilon.</summary>
    public double Eps { get; }

    /// <summary>Running-statistics momentum.</summary>
    public double Momentum { get; }

    /// <summary>Whether <c>weight</c> and <c>bias</c> exist.</summary>
    public bool Affine { get; }

    /// <inheritdoc />
    public override string Kind => "BatchNorm2d";

    /// <inheritdoc />
    public override ActivationShape OutputShape(ActivationShape input)
    {
        RequireMap(input, Channels);
        return input;
    }

    /// <inheritdoc />
    public override IEnumerable<ParameterEntry> Parameters()
    {
        if (Affine)
        {
            yield return ParameterEntry.For(Path, ParameterRole.Weight, Channels);
            yield return ParameterEntry.For(Path, ParameterRole.Bias, Channels);
        }
        yield return ParameterEntry.For(Path, ParameterRole.RunningMean, Channels);
        yield return ParameterEntry.For(Path, ParameterRole.RunningVar, Channels);
        yield return ParameterEntry.For(Path, ParameterRole.BatchesTracked);
    }
}
