using System.Security.Cryptography;
using System.Text;
using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Enclave;

/// <summary>
/// The tag that lets the enclave recognise a state it exported itself: HMAC-SHA256, keyed by a key derived (HKDF) from
/// the data owner's key, over a domain label, every tensor's name, type, shape and bytes in order, and the optimizer
/// state. An export carries two tags (64 bytes): one over the weights and buffers alone (enough to classify with
/// them) and one over those and the optimizer state (to resume training). The host keeps the state (weights are public) but cannot make a tag for weights it chose, so a rewritten
/// checkpoint is refused on resume. A session without a key has no MAC key: its exports carry an empty tag and are
/// unauthenticated (the host supplied the plaintext data there anyway).
/// </summary>
internal static class StateAuthenticator
{
    /// <summary>Bytes of an export's tag: the weights-only tag, then the tag with the optimizer state.</summary>
    public const int TagBytes = 64;

    /// <summary>The export's two tags of <paramref name="state"/> and <paramref name="optimizer"/> under <paramref name="key"/>.</summary>
    public static byte[] Tags(byte[] key, IReadOnlyList<NamedTensor> state, ReadOnlySpan<byte> optimizer) =>
        [.. Tag(key, state, null), .. Tag(key, state, optimizer.ToArray())];

    /// <summary>Whether <paramref name="tags"/> (an export's) authenticate the state: with the optimizer state when one
    /// is given, else the weights and buffers alone. Constant-time comparison.</summary>
    public static bool Verify(byte[] key, IReadOnlyList<NamedTensor> state, ReadOnlySpan<byte> optimizer, ReadOnlySpan<byte> tags) =>
        tags.Length == TagBytes && CryptographicOperations.FixedTimeEquals(
            Tag(key, state, optimizer.Length == 0 ? null : optimizer.ToArray()),
            optimizer.Length == 0 ? tags[..32] : tags[32..]);

    private static byte[] Tag(byte[] key, IReadOnlyList<NamedTensor> state, byte[]? optimizer)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        mac.AppendData(optimizer is null ? "asymml enclave weights v1"u8 : "asymml enclave weights and optimizer v1"u8);
        AppendLength(mac, state.Count);
        foreach (NamedTensor t in state)
        {
            byte[] name = Encoding.UTF8.GetBytes(t.Name);
            AppendLength(mac, name.Length);
            mac.AppendData(name);
            AppendLength(mac, (long)t.Value.dtype);
            AppendLength(mac, t.Value.dim());
            foreach (long d in t.Value.shape) AppendLength(mac, d);
            using Tensor contiguous = t.Value.cpu().contiguous();
            AppendLength(mac, contiguous.NumberOfElements * contiguous.ElementSize);
            mac.AppendData(contiguous.bytes);
        }
        if (optimizer is not null)
        {
            AppendLength(mac, optimizer.Length);
            mac.AppendData(optimizer);
        }
        return mac.GetHashAndReset();
    }

    private static void AppendLength(IncrementalHash mac, long value)
    {
        Span<byte> b = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(b, value);
        mac.AppendData(b);
    }
}
