namespace AsymML.Privacy.Estimators;

/// <summary>Correlated Gaussians: the truth and both estimates (nats).</summary>
public sealed record GaussianCheck(int Dimension, double Rho, int Samples, double Truth, double Ksg, double Lnc, double LncAlpha)
{
    /// <summary>(KSG − truth) / truth.</summary>
    public double KsgError => (Ksg - Truth) / Truth;

    /// <summary>(LNC − truth) / truth.</summary>
    public double LncError => (Lnc - Truth) / Truth;
}
