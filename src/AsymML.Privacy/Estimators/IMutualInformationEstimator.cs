namespace AsymML.Privacy.Estimators;

/// <summary>An estimator of the mutual information I(X; Y) in nats from paired samples (x_i, y_i).</summary>
public interface IMutualInformationEstimator
{
    /// <summary>A short description with its parameters (e.g. <c>KSG-1 k=3</c>), for reports.</summary>
    string Name { get; }

    /// <summary>The estimate in nats. <paramref name="x"/> and <paramref name="y"/> have the same sample count.</summary>
    double Estimate(SampleMatrix x, SampleMatrix y);
}
