namespace AsymML.Privacy.Estimators;

/// <summary>Correlated Gaussians: the truth and both estimators' mean and spread over independent data sets (nats).</summary>
/// <param name="Dimension">d of X and of Y.</param>
/// <param name="Rho">Correlation of each coordinate pair.</param>
/// <param name="Samples">n per data set.</param>
/// <param name="Repeats">Data sets (seeds).</param>
/// <param name="Truth">−½ d ln(1 − ρ²).</param>
/// <param name="Ksg">Mean KSG estimate.</param>
/// <param name="KsgStd">Its standard deviation over data sets.</param>
/// <param name="Lnc">Mean LNC estimate.</param>
/// <param name="LncStd">Its standard deviation.</param>
/// <param name="LncAlpha">The calibrated α used.</param>
public sealed record GaussianCheck(int Dimension, double Rho, int Samples, int Repeats, double Truth, double Ksg, double KsgStd, double Lnc, double LncStd, double LncAlpha)
{
    /// <summary>Relative bias of KSG: (mean − truth) / truth.</summary>
    public double KsgError => (Ksg - Truth) / Truth;

    /// <summary>Relative bias of LNC.</summary>
    public double LncError => (Lnc - Truth) / Truth;
}
