using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace ContainerSdk.Generators.Tests;

public sealed class ModelDiagnosticsCatalogTests
{
    private static string RepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    private static readonly DiagnosticDescriptor[] Descriptors = typeof(ModelDiagnostics)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();

    [Fact]
    public void Codes_are_unique_csdk6xxx_with_a_help_link_a_docs_page_and_release_tracking()
    {
        Descriptors.Length.ShouldBeGreaterThanOrEqualTo(8);
        Descriptors.Select(d => d.Id).ShouldBeUnique();
        var unshipped = File.ReadAllText(Path.Combine(RepoRoot(), "src/ContainerSdk.Generators/AnalyzerReleases.Unshipped.md"));
        var index = File.ReadAllText(Path.Combine(RepoRoot(), "docs/diagnostics/README.md"));
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        foreach (var d in Descriptors)
        {
            d.Id.ShouldMatch("^CSDK6[0-9]{3}$");
            d.HelpLinkUri.ShouldEndWith("/docs/diagnostics/" + d.Id + ".md");
            File.Exists(Path.Combine(RepoRoot(), "docs/diagnostics", d.Id + ".md")).ShouldBeTrue(d.Id + " has no docs page");
            unshipped.ShouldContain(d.Id + " | " + d.Category + " | " + d.DefaultSeverity);
            index.ShouldContain($"[{d.Id}]({d.Id}.md) | {(d.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning")} |");
            readme.ShouldContain($"| {d.Id} | {(d.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning")} |");
        }
    }
}
