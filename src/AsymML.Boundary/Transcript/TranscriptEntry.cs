using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Boundary.Transcript;

/// <summary>One message that crossed the boundary.</summary>
/// <param name="Sequence">Order of crossing (0-based).</param>
/// <param name="To">The side that received it.</param>
/// <param name="Kind">Message kind.</param>
/// <param name="Layer">Layer name, or empty.</param>
/// <param name="Shapes">Shape of each carried tensor.</param>
/// <param name="Bytes">Bytes of tensor data carried.</param>
/// <param name="Tensors">Copies of the carried tensors when the transcript keeps them, else empty. Owned by the transcript.</param>
public sealed record TranscriptEntry(long Sequence, BoundarySide To, MessageKind Kind, string Layer, IReadOnlyList<long[]> Shapes, long Bytes, IReadOnlyList<Tensor> Tensors);
