namespace AsymML.DifferentialPrivacy;

/// <summary>
/// Composes sampled Gaussian mechanisms in Rényi DP: RDP at each order adds up over mechanisms (Mironov 2017,
/// Proposition 1, adaptive composition), and <see cref="GetPrivacySpent"/> converts the sum to (ε, δ), minimised
/// over the orders. Mutable, not thread-safe: one accountant per guarantee.
/// </summary>
public sealed class RdpAccountant
{
    private readonly double[] _orders;
    private readonly double[] _rdp;

    /// <summary>The orders of Opacus' and TF-Privacy's default grid: 1.1, 1.2, …, 10.9, then 12, 13, …, 63.</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        Enumerable.Range(1, 99).Select(x => 1 + x / 10.0).Concat(Enumerable.Range(12, 52).Select(x => (double)x)).ToArray();

    /// <summary>An accountant with nothing spent, on <paramref name="orders"/> (each &gt; 1; default
    /// <see cref="DefaultOrders"/>).</summary>
    public RdpAccountant(IReadOnlyList<double>? orders = null)
    {
        _orders = (orders ?? DefaultOrders).ToArray();
        if (_orders.Length == 0 || _orders.Any(a => !(a > 1)))
            throw new ArgumentException("RDP orders must be a non-empty list of numbers > 1.", nameof(orders));
        _rdp = new double[_orders.Length];
    }

    /// <summary>The orders.</summary>
    public IReadOnlyList<double> Orders => _orders;

    /// <summary>The RDP spent so far at each order.</summary>
    public IReadOnlyList<double> Rdp => _rdp;

    /// <summary>Adds <paramref name="steps"/> sampled Gaussian mechanisms with sampling rate <paramref name="q"/>
    /// and noise multiplier <paramref name="noiseMultiplier"/> (noise std / L2 sensitivity).</summary>
    public RdpAccountant Compose(double q, double noiseMultiplier, long steps = 1)
    {
        double[] add = SampledGaussianRdp.Rdp(q, noiseMultiplier, steps, _orders);
        for (int i = 0; i < _rdp.Length; i++) _rdp[i] += add[i];
        return this;
    }

    /// <summary>Adds RDP values given per order (e.g. a mechanism analysed elsewhere); must match <see cref="Orders"/>.</summary>
    public RdpAccountant Compose(IReadOnlyList<double> rdp)
    {
        ArgumentNullException.ThrowIfNull(rdp);
        if (rdp.Count != _rdp.Length) throw new ArgumentException($"Expected {_rdp.Length} RDP values, one per order; got {rdp.Count}.", nameof(rdp));
        for (int i = 0; i < _rdp.Length; i++) _rdp[i] += rdp[i];
        return this;
    }

    /// <summary>The (ε, δ) guarantee of what was composed, for <paramref name="delta"/> ∈ (0, 1).</summary>
    public PrivacySpent GetPrivacySpent(double delta, RdpConversion conversion = RdpConversion.Balle2020) =>
        Convert(_orders, _rdp, delta, conversion);

    /// <summary>(ε, δ) from RDP values <paramref name="rdp"/> at <paramref name="orders"/>: the minimum over orders
    /// of the chosen conversion, never below 0.</summary>
    public static PrivacySpent Convert(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta, RdpConversion conversion = RdpConversion.Balle2020)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(rdp);
        if (orders.Count != rdp.Count) throw new ArgumentException("One RDP value per order is needed.", nameof(rdp));
        if (!(delta > 0 && delta < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1).");
        if (rdp.All(r => r == 0)) return new PrivacySpent(0, delta, double.NaN); // nothing released (the conversions are not tight at 0)
        double best = double.PositiveInfinity, bestOrder = double.NaN;
        for (int i = 0; i < orders.Count; i++)
        {
            double a = orders[i], r = rdp[i];
            if (double.IsNaN(r) || double.IsPositiveInfinity(r)) continue;
            double eps = conversion switch
            {
                RdpConversion.Classic => r + Math.Log(1 / delta) / (a - 1),
                RdpConversion.Balle2020 => r + Math.Log((a - 1) / a) - (Math.Log(delta) + Math.Log(a)) / (a - 1),
                _ => throw new ArgumentOutOfRangeException(nameof(conversion), conversion, "Unknown conversion."),
            };
            if (eps < best) (best, bestOrder) = (eps, a);
        }
        return new PrivacySpent(Math.Max(0, best), delta, bestOrder);
    }
}
