using System.Linq;
using ContainerSdk.Onnx.Signatures;

namespace ContainerSdk.Generators.Bindings;

/// <summary>ONNX element types as ONNX Runtime's C# API types them.</summary>
public static class BindingTypes
{
    public static string? ClrType(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Double => "double",
        TensorElementType.Float16 => "global::Microsoft.ML.OnnxRuntime.Float16",
        TensorElementType.BFloat16 => "global::Microsoft.ML.OnnxRuntime.BFloat16",
        TensorElementType.Int8 => "sbyte",
        TensorElementType.UInt8 => "byte",
        TensorElementType.Int16 => "short",
        TensorElementType.UInt16 => "ushort",
        TensorElementType.Int32 => "int",
        TensorElementType.UInt32 => "uint",
        TensorElementType.Int64 => "long",
        TensorElementType.UInt64 => "ulong",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "string",
        _ => null,
    };

    /// <summary>Why a value cannot be typed, or null when it can.</summary>
    public static string? Unsupported(ValueSignature value)
    {
        if (value.Kind != ValueKind.Tensor)
        {
            return "a " + value.Kind.ToString().ToLowerInvariant() + " (" + value.TypeText + ")";
        }

        return ClrType(value.ElementType) is null ? "a tensor of " + SignatureText.ElementName(value.ElementType) : null;
    }

    /// <summary>"[batch, 3, 224, 224]", "[] (scalar)" or "unknown rank".</summary>
    public static string ShapeText(ValueSignature value) =>
        value.Shape is not { } shape
            ? "unknown rank"
            : shape.Count == 0 ? "[] (scalar)" : "[" + string.Join(", ", shape.Select(d => d.ToString())) + "]";
}
