namespace AsymML.Tests.Boundary;

/// <summary>A stream over bytes in memory that returns at most <c>pieceBytes</c> per read (as a socket may), counts
/// reads and writes, and remembers how far it was read, to test code that must handle partial reads and must not
/// read past a frame.</summary>
internal sealed class TrickleStream(byte[] content, int pieceBytes) : Stream
{
    private readonly MemoryStream _inner = new(content);

    public int Reads { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Reads++;
        return _inner.Read(buffer[..Math.Min(buffer.Length, pieceBytes)]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
