using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ContainerSdk.Generators.Tests;

/// <summary>
/// The CSDK6xxx catalog, ModelDiagnostics, checked like the task catalog in ContainerSdk.Core.Tests'
/// DiagnosticCatalogTests: unique well-formed codes, a docs page and a help link for each, release tracking, and every
/// analyzer's code in the catalog.
/// </summary>
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
    public void Codes_are_unique_well_formed_and_link_to_their_page()
    {
        Descriptors.Length.ShouldBeGreaterThanOrEqualTo(4);
        Descriptors.Select(d => d.Id).ShouldBeUnique();
        foreach (var d in Descriptors)
        {
            d.Id.ShouldMatch("^CSDK6[0-9]{3}$");
            d.HelpLinkUri.ShouldBe(string.Format(System.Globalization.CultureInfo.InvariantCulture, ModelDiagnostics.HelpLinkFormat, d.Id));
        }
    }

    [Fact]
    public void Every_code_has_a_documentation_page_and_rows_in_both_tables()
    {
        var docs = Path.Combine(RepoRoot(), "docs", "diagnostics");
        var index = File.ReadAllText(Path.Combine(docs, "README.md"));
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        var missing = Descriptors
            .Where(d => !File.Exists(Path.Combine(docs, d.Id + ".md")) || !index.Contains($"[{d.Id}]({d.Id}.md)", StringComparison.Ordinal) || !readme.Contains($"| {d.Id} |", StringComparison.Ordinal))
            .Select(d => d.Id)
            .ToList();
        missing.ShouldBeEmpty($"Write docs/diagnostics/<code>.md and the rows in docs/diagnostics/README.md and README.md for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_code_is_release_tracked_with_its_category_and_severity()
    {
        var tracked = File.ReadAllText(Path.Combine(RepoRoot(), "src", "ContainerSdk.Generators", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(RepoRoot(), "src", "ContainerSdk.Generators", "AnalyzerReleases.Shipped.md"));
        foreach (var d in Descriptors)
        {
            tracked.ShouldMatch($@"(?m)^{d.Id} \| {Regex.Escape(d.Category)} \| {d.DefaultSeverity} \|");
        }
    }

    [Fact]
    public void Every_analyzer_reports_only_catalog_codes_and_every_usage_code_has_an_analyzer()
    {
        var analyzers = typeof(ModelDiagnostics).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToList();
        var reported = analyzers.SelectMany(a => a.SupportedDiagnostics).ToList();
        reported.Select(d => d.Id).ShouldBeUnique();
        reported.ShouldAllBe(d => Descriptors.Contains(d));
        Descriptors.Where(d => d.Category == "ContainerSdk.OnnxRuntime").Select(d => d.Id)
            .ShouldBe(reported.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
    }
}
