using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Samples.Inference;

/// <summary>
/// Tensors as raw bytes, the one layout that both the binary tensor data extension (REST) and gRPC's
/// raw_input_contents / raw_output_contents use: little-endian, row-major, no padding; BOOL one byte (0 or 1); BYTES
/// a 4-byte little-endian length before each element. No decimal text and no per-element boxing: a fixed-size tensor
/// is handed to ONNX Runtime as the very bytes the request carried when their address suits the element type, and
/// otherwise copied once into a tensor ORT allocates.
/// </summary>
/// <remarks>
/// The typed model bindings (the source generator the lead is writing) have their own zero-copy path from a caller's
/// memory to an OrtValue; once they ship, <see cref="Decode"/> and <see cref="WriteTo"/> are the two places to
/// route through it.
/// </remarks>
public static class BinaryTensors
{
    /// <summary>Bytes per element, or 0 for BYTES (variable length).</summary>
    public static int ElementSize(TensorElementType type) => type switch
    {
        TensorElementType.Double or TensorElementType.Int64 or TensorElementType.UInt64 => 8,
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.Float16 or TensorElementType.BFloat16 or TensorElementType.Int16 or TensorElementType.UInt16 => 2,
        TensorElementType.Int8 or TensorElementType.UInt8 or TensorElementType.Bool => 1,
        _ => 0,
    };

    /// <summary>Checks that <paramref name="data"/> is exactly <paramref name="count"/> elements of the spec's type, without
    /// allocating anything; the message names the input (<paramref name="what"/>).</summary>
    /// <exception cref="ProtocolException">400.</exception>
    public static void Validate(TensorSpec spec, long count, ReadOnlySpan<byte> data, string what)
    {
        int size = ElementSize(spec.ElementType);
        if (size > 0)
        {
            if (data.Length != count * size)
            {
                throw Bad($"{what} has {data.Length} bytes of data, but shape and datatype {spec.Datatype} need {count * size}");
            }

            if (spec.ElementType == TensorElementType.Bool && data.IndexOfAnyExcept((byte)0, (byte)1) is int bad and >= 0)
            {
                throw Bad($"{what} BOOL byte {bad} is {data[bad]}; BOOL elements are one byte, 0 or 1");
            }

            return;
        }

        int offset = 0;
        for (long i = 0; i < count; i++)
        {
            if (data.Length - offset < 4)
            {
                throw Bad($"{what} BYTES element {i} has no 4-byte length: the data ends after {i} of {count} elements");
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            offset += 4;
            if (length > (uint)(data.Length - offset))
            {
                throw Bad($"{what} BYTES element {i} says {length} bytes, but only {data.Length - offset} remain");
            }

            offset += (int)length;
        }

        if (offset != data.Length)
        {
            throw Bad($"{what} has {data.Length - offset} bytes after its {count} BYTES elements");
        }
    }

    /// <summary>An OrtValue of <paramref name="shape"/> over <paramref name="data"/>, which <see cref="Validate"/> has
    /// accepted. <paramref name="pinnedAddress"/> is the address of <paramref name="data"/>'s first byte when the caller
    /// keeps it pinned for as long as the returned value lives (then a suitably aligned fixed-size tensor is not
    /// copied at all), or 0 to always copy.</summary>
    public static OrtValue Decode(TensorSpec spec, long[] shape, long count, ReadOnlySpan<byte> data, nint pinnedAddress)
    {
        int size = ElementSize(spec.ElementType);
        if (size == 0)
        {
            OrtValue strings = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            try
            {
                int offset = 0;
                for (int i = 0; i < count; i++)
                {
                    int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
                    strings.StringTensorSetElementAt(data.Slice(offset + 4, length), i);
                    offset += 4 + length;
                }

                return strings;
            }
            catch
            {
                strings.Dispose();
                throw;
            }
        }

        // Natural alignment is what ORT's kernels may assume of a typed buffer; a JSON header of arbitrary length in
        // front of the tensor often breaks it, gRPC's buffers usually keep it.
        if (pinnedAddress != 0 && pinnedAddress % size == 0 && data.Length > 0)
        {
            return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, spec.ElementType, shape, pinnedAddress, data.Length);
        }

        OrtValue value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, spec.ElementType, shape);
        data.CopyTo(value.GetTensorMutableRawData());
        return value;
    }

    /// <summary>The byte size of an output tensor in this layout.</summary>
    public static long ByteSize(OrtValue value, OrtTensorTypeAndShapeInfo info)
    {
        if (info.ElementDataType != TensorElementType.String)
        {
            return info.ElementCount * ElementSize(info.ElementDataType);
        }

        long total = 0;
        for (int i = 0; i < info.ElementCount; i++)
        {
            total += 4 + value.GetStringElementAsSpan(i).Length; // ORT's own UTF-8 bytes
        }

        return total;
    }

    /// <summary>Writes an output tensor in this layout straight from ORT's buffer.</summary>
    public static void WriteTo(IBufferWriter<byte> writer, OrtValue value, OrtTensorTypeAndShapeInfo info)
    {
        if (info.ElementDataType != TensorElementType.String)
        {
            writer.Write(value.GetTensorMutableRawData());
            return;
        }

        for (int i = 0; i < info.ElementCount; i++)
        {
            ReadOnlySpan<byte> bytes = value.GetStringElementAsSpan(i);
            Span<byte> target = writer.GetSpan(4 + bytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)bytes.Length);
            bytes.CopyTo(target[4..]);
            writer.Advance(4 + bytes.Length);
        }
    }

    private static ProtocolException Bad(string message) => new(400, message);
}

/// <summary>An array from <see cref="ArrayPool{T}.Shared"/>, returned on dispose. With an alignment point, the
/// array is pinned from the start and the content placed so that byte <c>alignAt</c> of it lands on a 64-byte
/// boundary: the binary part of a request then starts where ORT would put its own tensors, and fixed-size inputs
/// can be used where they lie.</summary>
public sealed class PooledBuffer : IDisposable
{
    private const int Alignment = 64;
    private GCHandle _pin;

    public PooledBuffer(int minimumLength, int alignAt = -1)
    {
        Array = ArrayPool<byte>.Shared.Rent(Math.Max(minimumLength, 1) + (alignAt >= 0 ? Alignment : 0));
        if (alignAt >= 0)
        {
            _pin = GCHandle.Alloc(Array, GCHandleType.Pinned);
            long address = _pin.AddrOfPinnedObject() + alignAt;
            Start = (int)((Alignment - (address % Alignment)) % Alignment);
        }
    }

    public byte[] Array { get; private set; }

    /// <summary>Where the content begins in <see cref="Array"/>.</summary>
    public int Start { get; }

    /// <summary>Bytes of content.</summary>
    public int Length { get; set; }

    /// <summary>Room left in <see cref="Array"/> after the content.</summary>
    public Memory<byte> Free => Array.AsMemory(Start + Length);

    public Memory<byte> Memory => Array.AsMemory(Start, Length);

    /// <summary>The address of content byte <paramref name="offset"/>; the array stays pinned until disposed.</summary>
    public nint AddressOf(int offset)
    {
        if (!_pin.IsAllocated)
        {
            _pin = GCHandle.Alloc(Array, GCHandleType.Pinned);
        }

        return _pin.AddrOfPinnedObject() + Start + offset;
    }

    /// <summary>Doubles the array (for a body whose length was not declared), keeping what was read.</summary>
    public void Grow()
    {
        if (_pin.IsAllocated || Start != 0)
        {
            throw new InvalidOperationException("a pinned or aligned buffer cannot grow");
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent(Array.Length * 2);
        Array.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(Array);
        Array = bigger;
    }

    public void Dispose()
    {
        if (_pin.IsAllocated)
        {
            _pin.Free();
        }

        if (Array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Array);
            Array = [];
        }
    }
}
