using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ContainerSdk.Generators.OrtUsage;

/// <summary>
/// The ONNX Runtime types the usage analyzers look for, resolved once per compilation. Null when the compilation does
/// not reference ONNX Runtime, in which case no analyzer registers anything.
/// </summary>
internal sealed class OrtSymbols
{
    private OrtSymbols(INamedTypeSymbol session, INamedTypeSymbol? sessionOptions, INamedTypeSymbol? namedOnnxValue, INamedTypeSymbol? ioBinding)
    {
        IoBinding = ioBinding;
        Session = session;
        SessionOptions = sessionOptions;
        NamedOnnxValue = namedOnnxValue;
    }

    public INamedTypeSymbol Session { get; }

    public INamedTypeSymbol? SessionOptions { get; }

    public INamedTypeSymbol? NamedOnnxValue { get; }

    public INamedTypeSymbol? IoBinding { get; }

    public static OrtSymbols? From(Compilation compilation) =>
        compilation.GetTypeByMetadataName("Microsoft.ML.OnnxRuntime.InferenceSession") is { } session
            ? new OrtSymbols(
                session,
                compilation.GetTypeByMetadataName("Microsoft.ML.OnnxRuntime.SessionOptions"),
                compilation.GetTypeByMetadataName("Microsoft.ML.OnnxRuntime.NamedOnnxValue"),
                compilation.GetTypeByMetadataName("Microsoft.ML.OnnxRuntime.OrtIoBinding"))
            : null;

    public bool IsSession(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, Session);

    /// <summary>InferenceSession.Run or RunAsync, any overload.</summary>
    public bool IsRun(IMethodSymbol method) =>
        (method.Name == "Run" || method.Name == "RunAsync") && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, Session);

    /// <summary>NamedOnnxValue.CreateFromTensor, CreateFromSequence or CreateFromMap: the first argument is the name.</summary>
    public bool IsNamedValueFactory(IMethodSymbol method) =>
        NamedOnnxValue is not null
        && method.Name.StartsWith("CreateFrom", System.StringComparison.Ordinal)
        && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, NamedOnnxValue);

    /// <summary>OrtIoBinding.BindInput, BindOutput or BindOutputToDevice: the first argument is the name.</summary>
    public bool IsBindingMethod(IMethodSymbol method, out bool output)
    {
        output = method.Name.StartsWith("BindOutput", System.StringComparison.Ordinal);
        return IoBinding is not null
            && (output || method.Name == "BindInput")
            && method.Parameters.Length > 0 && method.Parameters[0].Type.SpecialType == SpecialType.System_String
            && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, IoBinding);
    }

    /// <summary>Strips the implicit and explicit conversions and parentheses around a value.</summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The parent of an operation, skipping the conversions and parentheses that wrap it.</summary>
    public static IOperation? Consumer(IOperation operation, out IOperation child)
    {
        child = operation;
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>The outermost operation of the body (or initializer) that holds an operation.</summary>
    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }
}
