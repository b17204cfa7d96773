using System.Linq;
using ContainerSdk.Onnx.Signatures;
using Microsoft.CodeAnalysis;

namespace ContainerSdk.Generators.Bindings;

// The generator's pipeline values. Every one is value-equal (strings, records, EquatableArray): no ISymbol,
// SyntaxNode, Location or Compilation, so Roslyn can cache each step (a test checks both facts).

/// <summary>One signature AdditionalFile with its ContainerModel metadata, as the build handed it over.</summary>
public sealed record SignatureFileInput(
    string Path,
    string Text,
    string ModelFile,
    string ClassName,
    string Namespace,
    string GenerateBinding,
    string ContainerPath,
    string LocalPath);

/// <summary>Project-wide values: the default namespace and the package version for [GeneratedCode].</summary>
public sealed record BindingGlobals(string RootNamespace, string Version);

/// <summary>A diagnostic to report, without a Location (signature files have none worth pointing at).</summary>
public sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location.None, Arguments.Cast<object>().ToArray());
}

/// <summary>Everything the emitter needs for one model's binding.</summary>
public sealed record BindingPlan(
    string ModelFile,
    string? Namespace,
    string ClassName,
    string ContainerPath,
    string LocalPath,
    string Version,
    ModelSignature Signature,
    EquatableArray<string> InputProperties,
    EquatableArray<string> OutputProperties);

/// <summary>A plan, or why there is none.</summary>
public sealed record PlanResult(BindingPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>One generated file.</summary>
public sealed record GeneratedSource(string HintName, string Text);

/// <summary>The generator's final step: the files and the diagnostics.</summary>
public sealed record BindingOutput(EquatableArray<GeneratedSource> Sources, EquatableArray<DiagnosticInfo> Diagnostics);
