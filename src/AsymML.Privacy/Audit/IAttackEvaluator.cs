namespace AsymML.Privacy.Audit;

/// <summary>
/// An attack plugged into the audit: given one crossing (and the private input it should reconstruct, for scoring
/// only), returns its SSIM and its baseline's, or null when it has no attack for this kind of message. The audit
/// averages the scores of a row's crossings over the audited steps into <see cref="AuditRow.AttackSsim"/> and
/// <see cref="AuditRow.BaselineSsim"/>. An implementation must use <see cref="AuditCrossing.Input"/> only to
/// score, never to attack: the host does not have it.
/// </summary>
public interface IAttackEvaluator
{
    /// <summary>Scores the attack on <paramref name="crossing"/>, or null.</summary>
    AttackScores? Evaluate(AuditCrossing crossing);
}
