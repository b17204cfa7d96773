using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace OnnxModels;

/// <summary>
/// The smallest protobuf encoder that can write an ONNX model: varint, length-delimited, fixed32 and packed-float fields.
/// Protobuf has no framing beyond (field number, wire type) tags, so a writer needs no schema: the field numbers
/// live in <see cref="OnnxModelBuilder"/> next to the onnx.proto messages they come from. Output is a pure function of the
/// calls made, so the bytes are deterministic.
/// </summary>
internal sealed class ProtoWriter
{
    // Wire types from the protobuf encoding spec: integers/enums are varints; strings, bytes, nested messages and
    // packed repeated scalars are length-delimited.
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5; // only for float attributes (AttributeProto.f)

    private readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>int32, int64 or enum field. Written even when zero: proto2 (which onnx.proto is) keeps
    /// "set to the default" distinct from "absent", so callers leave out fields they do not want.</summary>
    public void Varint(int field, long value)
    {
        Tag(field, WireVarint);
        // Negative int32/int64 values are sign-extended to 64 bits and take ten bytes; the cast to ulong does that.
        RawVarint((ulong)value);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, byte[] value)
    {
        Tag(field, WireLengthDelimited);
        RawVarint((ulong)value.Length);
        _buffer.Write(value, 0, value.Length);
    }

    /// <summary>A nested message is length-delimited, so its body is encoded first to learn its length.</summary>
    public void Message(int field, Action<ProtoWriter> body)
    {
        var inner = new ProtoWriter();
        body(inner);
        Bytes(field, inner.ToArray());
    }

    /// <summary>Unpacked repeated int64: one tag per element. onnx.proto is proto2 and declares e.g. TensorProto.dims
    /// without [packed = true], so this is what the reference serializer emits (parsers accept both forms).</summary>
    public void RepeatedVarint(int field, IEnumerable<long> values)
    {
        foreach (long value in values)
        {
            Varint(field, value);
        }
    }

    /// <summary>Packed repeated float: one tag, a byte length, then 4-byte little-endian IEEE 754 values.
    /// TensorProto.float_data is declared [packed = true].</summary>
    public void PackedFloats(int field, IReadOnlyList<float> values)
    {
        var bytes = new byte[values.Count * sizeof(float)];
        for (int i = 0; i < values.Count; i++)
        {
            // Protobuf fixed-width values are little-endian regardless of the host.
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        Bytes(field, bytes);
    }

    /// <summary>A single float field (proto type float): fixed 32-bit, little-endian.</summary>
    public void Fixed32Float(int field, float value)
    {
        Tag(field, WireFixed32);
        Span<byte> bytes = stackalloc byte[sizeof(float)];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    private void Tag(int field, int wireType) => RawVarint(((ulong)field << 3) | (uint)wireType);

    /// <summary>Base-128 varint: seven bits per byte, least significant group first, high bit = "more follows".</summary>
    private void RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
