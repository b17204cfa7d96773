extern alias analyzer;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using SecretAnalyzer = analyzer::ContainerSdk.Analyzers.SecretAnalyzer;

using ContainerSdk.Secrets;

namespace ContainerSdk.Analyzers.Tests;

/// <summary>
/// Microsoft.CodeAnalysis.Testing set up without network: the references are the running runtime's own assemblies,
/// not a reference pack downloaded at test time.
/// </summary>
internal sealed class AnalyzerTest : CSharpAnalyzerTest<SecretAnalyzer, DefaultVerifier>
{
    public AnalyzerTest()
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(object).Assembly.Location));
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll")));
    }

    /// <summary>Adds a project item the way ContainerSdk.Secrets.targets hands it over: an AdditionalFile with metadata.</summary>
    public AnalyzerTest WithContent(string fileName, string text, string role = "Content")
    {
        var path = "/0/" + fileName;
        TestState.AdditionalFiles.Add((path, text));
        metadata.Add($"[{path}]\nbuild_metadata.AdditionalFiles.ContainerSecretsRole = {role}\n");
        TestState.AnalyzerConfigFiles.RemoveAll(f => f.filename == "/.globalconfig");
        TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + string.Concat(metadata)));
        return this;
    }

    private readonly List<string> metadata = [];

    public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Warning);
}
