using System;
using System.IO;

namespace ContainerSdk.Secrets;

/// <summary>The bytes already read from a forward-only stream, then the rest of it.</summary>
internal sealed class PrefixedStream(byte[] head, Stream rest) : ForwardReadStream
{
    private int offset;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (this.offset < head.Length)
        {
            var n = Math.Min(count, head.Length - this.offset);
            Array.Copy(head, this.offset, buffer, offset, n);
            this.offset += n;
            return n;
        }

        return rest.Read(buffer, offset, count);
    }
}

/// <summary>Reads at most <c>limit</c> bytes of the inner stream, so an oversized text file costs a bounded read.</summary>
internal sealed class BoundedStream(Stream inner, long limit) : ForwardReadStream
{
    private long remaining = limit;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (remaining <= 0)
        {
            return 0;
        }

        var n = inner.Read(buffer, offset, (int)Math.Min(count, remaining));
        remaining -= n;
        return n;
    }
}

/// <summary>A read-only, forward-only view over a stream the caller owns: the wrappers above only implement Read.</summary>
internal abstract class ForwardReadStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // The caller owns the inner stream.
    }
}
