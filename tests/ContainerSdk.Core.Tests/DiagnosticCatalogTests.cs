using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Core.Tests;

public class DiagnosticCatalogTests
{
    private static string RepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    [Fact]
    public void Codes_are_unique_well_formed_and_each_declares_its_severity_once()
    {
        var resx = File.ReadAllText(Path.Combine(RepoRoot(), "src/ContainerSdk.Core/Diagnostics/Strings.resx"));
        var names = Regex.Matches(resx, "<data name=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        names.Count.ShouldBeGreaterThan(20);
        names.ShouldBeUnique();
        foreach (var code in Messages.AllCodes())
        {
            code.ShouldMatch("^CSDK[1-5][0-9]{3}$");
            Messages.Get(code).ShouldMatch($"^(error|warning) {code}: ", "a catalog entry reads \"error CSDKnnnn: text\" or \"warning CSDKnnnn: text\"");
        }

        // "CSDKnnnn.Part" entries are pieces of an existing code's message.
        foreach (var part in names.Where(n => n.Contains('.')))
        {
            part.ShouldMatch("^CSDK[1-5][0-9]{3}\\.[A-Z][A-Za-z]+$");
            Messages.AllCodes().ShouldContain(part.Substring(0, 8));
        }

        Messages.AllCodes().OrderBy(c => c).ShouldBe(names.Where(n => !n.Contains('.')).OrderBy(c => c));
    }

    [Theory]
    [InlineData("error CSDK1001: a {0}", "CSDK1001", DiagnosticSeverity.Error, "a {0}")]
    [InlineData("warning CSDK2001: b", "CSDK2001", DiagnosticSeverity.Warning, "b")]
    public void An_entry_gives_its_severity_and_format(string text, string code, DiagnosticSeverity severity, string format)
    {
        Messages.Parse(code, text).ShouldBe(new Messages.CatalogEntry(severity, format));
    }

    [Theory]
    [InlineData("CSDK5008", "CSDK5008: {0} is '{1}'; it must be {2}.")]
    [InlineData("CSDK5013.Config", "CSDK5013: the image config's {0} (entry {1}) holds a secret")]
    [InlineData("CSDK5013.Deleted", "; deleted by layer {0}")]
    public void WithoutSeverity_keeps_the_code_and_drops_only_the_severity_word(string name, string start)
    {
        Messages.WithoutSeverity(name).ShouldStartWith(start);
    }

    [Theory]
    [InlineData("CSDK1001: no severity", "CSDK1001")]
    [InlineData("error CSDK1002: another code", "CSDK1001")]
    [InlineData("Error CSDK1001: wrong case", "CSDK1001")]
    public void A_malformed_entry_is_refused(string text, string code)
    {
        Should.Throw<InvalidOperationException>(() => Messages.Parse(code, text));
    }

    [Fact]
    public void Create_takes_the_catalog_severity_and_WithSeverity_is_the_only_way_to_change_it()
    {
        var invalid = ContainerDiagnostic.Create("CSDK5008", "ContainerVerify", "x", "true, warn or false");
        invalid.Severity.ShouldBe(DiagnosticSeverity.Error);
        invalid.Message.ShouldBe("ContainerVerify is 'x'; it must be true, warn or false.");
        ContainerDiagnostic.Create("CSDK5015", "x").Severity.ShouldBe(DiagnosticSeverity.Warning);
        invalid.WithSeverity(DiagnosticSeverity.Warning).ShouldBe(invalid with { Severity = DiagnosticSeverity.Warning });
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

    /// <summary>The targets raise CSDK2012 and CSDK2016 before any task can load. Their text, code, help link and
    /// severity come from the catalog through the generated build/ContainerSdk.Diagnostics.props; no target states a
    /// code of its own.</summary>
    [Fact]
    public void The_targets_raise_only_catalog_diagnostics_through_the_generated_props()
    {
        var sdk = Path.Combine(RepoRoot(), "sdk");
        var targets = Directory.GetFiles(sdk, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".targets", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal))
            .Where(f => !f.EndsWith(TargetDiagnostics.FileName, StringComparison.Ordinal))
            .ToDictionary(f => f, File.ReadAllText);
        foreach (var (file, text) in targets)
        {
            text.ShouldNotContain("Code=\"CSDK", customMessage: $"{file} states a code; raise it from the catalog");
            foreach (Match task in Regex.Matches(text, @"<(Error|Warning)\b[^>]*>"))
            {
                var code = Regex.Match(task.Value, @"Code=""\$\(_ContainerSdk(CSDK[0-9]{4})Code\)""");
                code.Success.ShouldBeTrue($"{file}: {task.Value} must take Code, Text and HelpLink from ContainerSdk.Diagnostics.props");
                var id = code.Groups[1].Value;
                task.Value.ShouldContain($"Text=\"$(_ContainerSdk{id}Text)\"");
                task.Value.ShouldContain($"HelpLink=\"$(_ContainerSdk{id}HelpLink)\"");
                var declared = Messages.DefaultSeverity(id) == DiagnosticSeverity.Error ? "Error" : "Warning";
                task.Groups[1].Value.ShouldBe(declared, $"{file}: {id} is declared a {declared.ToLowerInvariant()} in the catalog");
            }
        }

        TargetDiagnostics.RaisedCodes(targets.Values).ShouldBe(["CSDK2012", "CSDK2016"]);
    }

    [Fact]
    public void The_generated_diagnostics_props_matches_the_catalog()
    {
        var sdk = Path.Combine(RepoRoot(), "sdk");
        var codes = TargetDiagnostics.RaisedCodes(Directory.GetFiles(sdk, "*.targets", SearchOption.AllDirectories).Select(File.ReadAllText));
        var path = Path.Combine(sdk, "build", TargetDiagnostics.FileName);
        var expected = TargetDiagnostics.Render(codes);
        if (Environment.GetEnvironmentVariable("CONTAINERSDK_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, expected);
        }

        File.ReadAllText(path).ShouldBe(expected, $"{path} is generated from Strings.resx: run the tests with CONTAINERSDK_UPDATE_GOLDEN=1");
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

        // The severity column says what the catalog declares (a row may add when a setting changes it).
        foreach (Match row in Regex.Matches(text, rowPattern, RegexOptions.Multiline))
        {
            var code = row.Groups[1].Value;
            if (Messages.AllCodes().Contains(code))
            {
                var declared = Messages.DefaultSeverity(code) == DiagnosticSeverity.Error ? "error" : "warning";
                row.Groups[2].Value.ShouldBe(declared, $"{file}: the row of {code}");
            }
        }
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

/// <summary>Writes build/ContainerSdk.Diagnostics.props: for each code the targets raise, its code, text and help link
/// from the catalog, MSBuild-escaped.</summary>
internal static class TargetDiagnostics
{
    public const string FileName = "ContainerSdk.Diagnostics.props";

    public static List<string> RaisedCodes(IEnumerable<string> targetsTexts) =>
        targetsTexts.SelectMany(t => Regex.Matches(t, @"\$\(_ContainerSdk(CSDK[0-9]{4})(?:Code|Text|HelpLink)\)").Select(m => m.Groups[1].Value))
            .Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();

    public static string Render(IEnumerable<string> codes)
    {
        var text = new System.Text.StringBuilder();
        text.Append("<Project>\n");
        text.Append("  <!-- Generated from src/ContainerSdk.Core/Diagnostics/Strings.resx by ContainerSdk.Core.Tests\n");
        text.Append("       (DiagnosticCatalogTests; CONTAINERSDK_UPDATE_GOLDEN=1 regenerates it). Do not edit: change the resx.\n");
        text.Append("       The diagnostics the targets raise themselves, before any ContainerSdk task can load. -->\n");
        text.Append("  <PropertyGroup>\n");
        foreach (var code in codes)
        {
            var entry = Messages.Entry(code);
            text.Append($"    <_ContainerSdk{code}Code>{code}</_ContainerSdk{code}Code>\n");
            text.Append($"    <_ContainerSdk{code}Text>{Escape(entry.Format)}</_ContainerSdk{code}Text>\n");
            text.Append($"    <_ContainerSdk{code}HelpLink>{Escape(string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLinks.Format, code))}</_ContainerSdk{code}HelpLink>\n");
        }

        text.Append("  </PropertyGroup>\n</Project>\n");
        return text.ToString();
    }

    private static string Escape(string value) =>
        System.Security.SecurityElement.Escape(value
            .Replace("%", "%25").Replace("$", "%24").Replace("@", "%40").Replace(";", "%3B"))!;
}
