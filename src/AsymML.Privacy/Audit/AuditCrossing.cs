using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Privacy.Audit;

/// <summary>
/// One tensor the host received during an audited step, with what it derives from. The tensors are valid only
/// during the call that receives them (the audit disposes them afterwards); clone what must outlive it.
/// </summary>
/// <param name="Layer">Split convolution.</param>
/// <param name="Kind">Message kind.</param>
/// <param name="Step">Audited step (0-based).</param>
/// <param name="HostView">What crossed: X^U [B, N, H, W], dY [B, M, Ho, Wo] or dW_T [M, N, kh, kw].</param>
/// <param name="PrivateCounterpart">The enclave-private tensor paired with it element by element: X, Y, or the
/// per-sample contributions to dW_T [B, M, N, kh, kw].</param>
/// <param name="Input">The private input batch of the step [B, C, H, W] (normalised), the target of an attack.</param>
public sealed record AuditCrossing(string Layer, MessageKind Kind, int Step, Tensor HostView, Tensor PrivateCounterpart, Tensor Input);
