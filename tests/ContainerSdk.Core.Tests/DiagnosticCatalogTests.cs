using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Core.Tests;

public class DiagnosticCatalogTests
{
    private static string RepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    [Fact]
    public void Codes_are_unique_well_formed_and_messages_start_with_their_code()
    {
        var resx = File.ReadAllText(Path.Combine(RepoRoot(), "src/ContainerSdk.Core/Diagnostics/Strings.resx"));
        var names = Regex.Matches(resx, "<data name=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        names.Count.ShouldBeGreaterThan(20);
        names.ShouldBeUnique();
        foreach (var code in Messages.AllCodes())
        {
            code.ShouldMatch("^CSDK[1-5][0-9]{3}$");
            Messages.Get(code).ShouldStartWith(code + ": ");
        }

        Messages.AllCodes().OrderBy(c => c).ShouldBe(names.OrderBy(c => c));
    }

    [Fact]
    public void Every_code_has_a_documentation_page()
    {
        var docs = Path.Combine(RepoRoot(), "docs", "diagnostics");
        var missing = Messages.AllCodes().Where(code => !File.Exists(Path.Combine(docs, code + ".md"))).ToList();
        missing.ShouldBeEmpty($"Write docs/diagnostics/<code>.md for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_code_used_in_source_exists_in_the_catalog()
    {
        var source = Directory.GetFiles(Path.Combine(RepoRoot(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            // Secret rule IDs (CSDK3xxx) live in the secret rule table and the analyzer's descriptor catalog,
            // which the secrets tests check; this catalog is the one the MSBuild tasks log from.
            .Where(f => !f.Contains("ContainerSdk.Analyzers", StringComparison.Ordinal))
            // The model-aware analyzers and generator have their own catalog, ModelDiagnostics (CSDK6xxx), which
            // ContainerSdk.Generators.Tests' ModelDiagnosticsCatalogTests checks the same way.
            .Where(f => !f.Contains("ContainerSdk.Generators", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Secrets{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "\"(CSDK[0-9]{4})\"").Select(m => m.Groups[1].Value))
            .Distinct();
        var known = Messages.AllCodes().ToHashSet();
        source.Where(c => !known.Contains(c)).ShouldBeEmpty();
    }

    [Fact]
    public void Codes_raised_by_the_targets_have_documentation_pages()
    {
        var codes = Directory.GetFiles(Path.Combine(RepoRoot(), "sdk"), "*.targets", SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "Code=\"(CSDK[0-9]{4})\"").Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        codes.ShouldContain("CSDK2012");
        codes.Where(c => !File.Exists(Path.Combine(RepoRoot(), "docs", "diagnostics", c + ".md"))).ShouldBeEmpty();
    }
}

/// <summary>The README's and the docs index's tables claim to list every diagnostic: they are checked against the
/// catalog (the resx the tasks log from, the analyzer's descriptors, the codes the targets raise).</summary>
public class DiagnosticTablesTests
{
    private static string RepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    internal static SortedSet<string> Catalog()
    {
        var root = RepoRoot();
        var codes = new SortedSet<string>(Messages.AllCodes(), StringComparer.Ordinal);
        // The Roslyn components' descriptor catalogs: the analyzers' and the model generator's (ModelDiagnostics).
        foreach (var project in new[] { "src/ContainerSdk.Analyzers", "src/ContainerSdk.Generators" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                codes.UnionWith(Regex.Matches(File.ReadAllText(file), "new\\(\\s*\"(CSDK[0-9]{4})\"").Select(m => m.Groups[1].Value));
            }
        }
        codes.UnionWith(Directory.GetFiles(Path.Combine(root, "sdk"), "*.targets", SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "Code=\"(CSDK[0-9]{4})\"").Select(m => m.Groups[1].Value)));
        return codes;
    }

    [Theory]
    [InlineData("README.md", @"^\| (CSDK[0-9]{4}) \| (error|warning)")]
    [InlineData("docs/diagnostics/README.md", @"^\| \[(CSDK[0-9]{4})\]\(\1\.md\) \| (error|warning)")]
    public void Table_lists_every_catalog_code_once_in_order(string file, string rowPattern)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), file));
        var rows = Regex.Matches(text, rowPattern, RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        var catalog = Catalog();
        catalog.Count.ShouldBeGreaterThan(60);
        catalog.ShouldContain("CSDK3203", "the analyzer descriptors are part of the catalog");
        catalog.ShouldContain("CSDK2012", "codes the targets raise are part of the catalog");
        catalog.Except(rows).ShouldBeEmpty($"{file} lacks rows for these codes");
        rows.Except(catalog).ShouldBeEmpty($"{file} lists codes that do not exist");
        rows.ShouldBeUnique();
        rows.ShouldBe(rows.OrderBy(c => c, StringComparer.Ordinal).ToList(), $"{file}: rows in code order");
    }

    [Fact]
    public void Analyzer_codes_are_warnings_in_both_tables()
    {
        var descriptors = File.ReadAllText(Path.Combine(RepoRoot(), "src/ContainerSdk.Analyzers/DiagnosticDescriptors.cs"));
        Regex.Matches(descriptors, @"""(CSDK[0-9]{4})""[^;]*DiagnosticSeverity\.(\w+)").Select(m => m.Groups[2].Value).Distinct().ShouldBe(["Warning"]);
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        foreach (Match m in Regex.Matches(descriptors, "\"(CSDK[0-9]{4})\""))
        {
            readme.ShouldContain($"| {m.Groups[1].Value} | warning |");
        }
    }
}
