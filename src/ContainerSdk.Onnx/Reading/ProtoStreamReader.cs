using System;
using System.IO;
using System.Text;

namespace ContainerSdk.Onnx.Reading;

/// <summary>Thrown for bytes that are not the protobuf an ONNX model is; the message says what and where.</summary>
public sealed class OnnxFormatException(string message) : Exception(message);

/// <summary>
/// A forward-only protobuf wire reader over a stream with one fixed buffer. Length-delimited fields that are not
/// wanted are skipped by seeking (a 1 GB initializer costs a seek, not a read); wanted ones are read with a hard
/// size limit, so no client-given length ever sizes an allocation beyond it.
/// </summary>
internal sealed class ProtoStreamReader
{
    public const int WireVarint = 0, WireFixed64 = 1, WireLengthDelimited = 2, WireFixed32 = 5;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly long _length;
    private int _offset; // next unread byte in _buffer
    private int _count; // valid bytes in _buffer
    private long _bufferStart; // stream position of _buffer[0]

    public ProtoStreamReader(Stream stream)
    {
        _stream = stream;
        _length = stream.CanSeek ? stream.Length : long.MaxValue;
        _bufferStart = stream.CanSeek ? stream.Position : 0;
    }

    public long Position => _bufferStart + _offset;

    public long Length => _length;

    /// <summary>Reads the next tag before <paramref name="end"/>; false at the end of the message.</summary>
    public bool TryReadTag(long end, out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (Position >= end || (end == long.MaxValue && !Fill(1)))
        {
            return false;
        }

        long start = Position;
        ulong tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field <= 0 || tag >> 3 > int.MaxValue || wireType is 3 or 4 or 6 or 7)
        {
            throw new OnnxFormatException($"invalid protobuf tag {tag} at byte {start}");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (!Fill(1))
            {
                throw Truncated();
            }

            byte b = _buffer[_offset++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new OnnxFormatException($"malformed varint ending at byte {Position}");
    }

    public long ReadInt64() => unchecked((long)ReadVarint());

    /// <summary>Reads a length prefix and returns the absolute end of that field, checked against the enclosing end.</summary>
    public long ReadLengthEnd(long enclosingEnd)
    {
        long at = Position;
        ulong length = ReadVarint();
        long limit = Math.Min(enclosingEnd, _length);
        if (length > (ulong)(limit - Position))
        {
            throw length > (ulong)(_length - Position)
                ? Truncated()
                : new OnnxFormatException($"a field at byte {at} claims {length} bytes, beyond the end of its message");
        }

        return Position + (long)length;
    }

    public string ReadString(long enclosingEnd, int maxBytes)
    {
        long end = ReadLengthEnd(enclosingEnd);
        long length = end - Position;
        if (length > maxBytes)
        {
            throw new OnnxFormatException($"a string at byte {Position} is {length} bytes; names and metadata are limited to {maxBytes}");
        }

        var bytes = new byte[length];
        int done = 0;
        while (done < length)
        {
            if (!Fill(1))
            {
                throw Truncated();
            }

            int n = Math.Min(_count - _offset, (int)length - done);
            Buffer.BlockCopy(_buffer, _offset, bytes, done, n);
            _offset += n;
            done += n;
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Skips a value of the given wire type that ends inside <paramref name="enclosingEnd"/>.</summary>
    public void Skip(int wireType, long enclosingEnd)
    {
        switch (wireType)
        {
            case WireVarint:
                ReadVarint();
                break;
            case WireFixed64:
                SkipTo(Position + 8, enclosingEnd);
                break;
            case WireFixed32:
                SkipTo(Position + 4, enclosingEnd);
                break;
            case WireLengthDelimited:
                SkipTo(ReadLengthEnd(enclosingEnd), enclosingEnd);
                break;
            default:
                throw new OnnxFormatException($"unsupported wire type {wireType} at byte {Position}");
        }
    }

    /// <summary>Moves to an absolute position: within the buffer when it is there, else one seek.</summary>
    public void SkipTo(long target, long enclosingEnd)
    {
        if (target > enclosingEnd || target > _length)
        {
            throw target > _length ? Truncated() : new OnnxFormatException($"a field at byte {Position} runs past the end of its message");
        }

        if (target <= _bufferStart + _count)
        {
            _offset = (int)(target - _bufferStart);
            return;
        }

        if (_stream.CanSeek)
        {
            _stream.Seek(target, SeekOrigin.Begin);
            _bufferStart = target;
            _offset = 0;
            _count = 0;
            return;
        }

        while (Position < target)
        {
            if (!Fill(1))
            {
                throw Truncated();
            }

            _offset += (int)Math.Min(_count - _offset, target - Position);
        }
    }

    private bool Fill(int needed)
    {
        if (_count - _offset >= needed)
        {
            return true;
        }

        if (_offset > 0)
        {
            Buffer.BlockCopy(_buffer, _offset, _buffer, 0, _count - _offset);
            _bufferStart += _offset;
            _count -= _offset;
            _offset = 0;
        }

        while (_count < needed)
        {
            int n = _stream.Read(_buffer, _count, _buffer.Length - _count);
            if (n <= 0)
            {
                return false;
            }

            _count += n;
        }

        return true;
    }

    private OnnxFormatException Truncated() => new($"the file ends at byte {Math.Min(_length, Position)} inside a field (truncated?)");
}
