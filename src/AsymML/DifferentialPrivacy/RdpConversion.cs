namespace AsymML.DifferentialPrivacy;

/// <summary>How an RDP curve becomes an (ε, δ) guarantee (the minimum over the orders is taken either way).</summary>
public enum RdpConversion
{
    /// <summary>Mironov 2017, Proposition 3: ε = RDP(α) + log(1/δ)/(α − 1). What TF-Privacy's accountant used when
    /// the DP-SGD tutorial figures were published.</summary>
    Classic,

    /// <summary>Balle, Barthe, Gaboardi, Hsu, Sato 2020 (Theorem 21), as Opacus' <c>get_privacy_spent</c>:
    /// ε = RDP(α) + log((α − 1)/α) − (log δ + log α)/(α − 1). Never larger than <see cref="Classic"/> by more than
    /// rounding for the orders used; the default here.</summary>
    Balle2020,
}
