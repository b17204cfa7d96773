using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ContainerSdk.Onnx.Signatures;

/// <summary>
/// What a build needs to know about an ONNX model without loading it: its producer and opsets, its graph inputs
/// (initializers excluded) and outputs in model order, and the external-data files its tensors name. Every member is
/// value-equal, so the source generator's pipeline can cache on it.
/// </summary>
public sealed record ModelSignature(
    long IrVersion,
    string ProducerName,
    string ProducerVersion,
    string Domain,
    long ModelVersion,
    EquatableArray<OpsetImport> Opsets,
    EquatableArray<MetadataEntry> Metadata,
    EquatableArray<ValueSignature> Inputs,
    EquatableArray<ValueSignature> Outputs,
    EquatableArray<string> ExternalDataFiles)
{
    /// <summary>The opset of the default ONNX domain ("" or "ai.onnx"), or 0 when the model imports none.</summary>
    public long DefaultOpset => Opsets.Where(o => o.Domain.Length == 0 || o.Domain == "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).First();
}

/// <summary>One opset_import entry: an empty domain is the default ONNX domain.</summary>
public sealed record OpsetImport(string Domain, long Version);

/// <summary>One metadata_props entry.</summary>
public sealed record MetadataEntry(string Key, string Value);

/// <summary>The kind of an ONNX value: tensors get typed bindings, the others are marked as such.</summary>
public enum ValueKind
{
    Tensor,
    Sequence,
    Map,
    Optional,
    SparseTensor,
    Unknown,
}

/// <summary>
/// A graph input or output. For tensors: <see cref="ElementType"/> and <see cref="Shape"/> (null when the model gives
/// no shape, i.e. unknown rank; empty for a scalar). For other kinds: <see cref="TypeText"/> in ONNX's own notation,
/// such as <c>seq(tensor(float))</c>.
/// </summary>
public sealed record ValueSignature(string Name, ValueKind Kind, TensorElementType ElementType, EquatableArray<Dimension>? Shape, string TypeText)
{
    public bool IsTensor => Kind == ValueKind.Tensor;
}

/// <summary>A dimension: a fixed size (<see cref="Value"/> &gt;= 0), a named symbolic size, or unknown (neither).
/// Symbolic and unknown dimensions are -1 at run time.</summary>
public readonly record struct Dimension(long Value, string? Symbol)
{
    public static Dimension Fixed(long value) => new(value, null);

    public static Dimension Symbolic(string symbol) => new(-1, symbol.Length == 0 ? null : symbol);

    public static readonly Dimension Unknown = new(-1, null);

    public bool IsFixed => Value >= 0;

    public override string ToString() => IsFixed ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : Symbol ?? "?";
}

/// <summary>TensorProto.DataType, with the wire numbers of onnx.proto.</summary>
public enum TensorElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
    Float8E4M3FN = 17,
    Float8E4M3FNUZ = 18,
    Float8E5M2 = 19,
    Float8E5M2FNUZ = 20,
    UInt4 = 21,
    Int4 = 22,
    Float4E2M1 = 23,
}

/// <summary>An immutable array with value equality, for records that a generator pipeline compares.</summary>
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly T[]? _items;

    public EquatableArray(IEnumerable<T> items) => _items = items.ToArray();

    public static readonly EquatableArray<T> Empty = new(Array.Empty<T>());

    public int Count => _items?.Length ?? 0;

    public T this[int index] => (_items ?? Array.Empty<T>())[index];

    public bool Equals(EquatableArray<T> other) =>
        (_items ?? Array.Empty<T>()).SequenceEqual(other._items ?? Array.Empty<T>(), EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        unchecked
        {
            int hash = 17;
            foreach (var item in _items ?? Array.Empty<T>())
            {
                hash = (hash * 31) + (item is null ? 0 : EqualityComparer<T>.Default.GetHashCode(item));
            }

            return hash;
        }
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
}
