using System.Text.Json.Serialization;

namespace AsymML.Privacy.Audit;

/// <summary>
/// One (layer, message kind) of what reached the host, as the audit's JSON reports it.
/// </summary>
/// <param name="Layer">Split convolution (path name).</param>
/// <param name="Kind">Message kind: <c>ConvForward</c> (X^U vs the convolution's input X), <c>ConvBackward</c> (dY vs
/// the convolution's private output Y) or <c>WeightGradients</c> (the batch-summed trusted weight gradient dW_T vs
/// each sample's own contribution to it).</param>
/// <param name="RelativeLeakage">The paper's figure: mean over images of LNC(private, crossing) / LNC(private, private).</param>
/// <param name="CiLow">Lower end of its 95% half-sampling interval over images.</param>
/// <param name="CiHigh">Upper end.</param>
/// <param name="Correlation">Pearson correlation of the crossing and the private values, pooled over the measured images.</param>
/// <param name="AttackSsim">SSIM of an attack's reconstruction of the private input from this crossing, when an
/// <see cref="IAttackEvaluator"/> was given; else null.</param>
/// <param name="BaselineSsim">SSIM of the attack's baseline measured in the same run; else null.</param>
public sealed record AuditRow(string Layer, string Kind, double RelativeLeakage, double CiLow, double CiHigh, double Correlation,
    double? AttackSsim, double? BaselineSsim)
{
    /// <summary>Images measured.</summary>
    [JsonIgnore]
    public int Images { get; init; }

    /// <summary>Mean LNC(private, crossing) in nats.</summary>
    [JsonIgnore]
    public double MeanNumerator { get; init; }

    /// <summary>Mean LNC(private, private) in nats.</summary>
    [JsonIgnore]
    public double MeanDenominator { get; init; }
}
