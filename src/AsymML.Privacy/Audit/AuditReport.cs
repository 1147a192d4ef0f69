namespace AsymML.Privacy.Audit;

/// <summary>The audit of a transcript: one row per (split layer, message kind) the host received. Serialises to
/// <c>{"layers": [...]}</c>.</summary>
/// <param name="Layers">The rows in crossing order of their first message.</param>
public sealed record AuditReport(IReadOnlyList<AuditRow> Layers);
