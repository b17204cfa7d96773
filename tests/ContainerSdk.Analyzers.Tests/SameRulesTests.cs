extern alias analyzer;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ContainerSdk.Tests.SecretCorpus;
using AnalyzerRules = analyzer::ContainerSdk.Secrets.SecretRules;
using AnalyzerScanner = analyzer::ContainerSdk.Secrets.SecretScanner;
using AnalyzerSource = analyzer::ContainerSdk.Secrets.SecretSource;
using Descriptors = analyzer::ContainerSdk.Analyzers.DiagnosticDescriptors;

using ContainerSdk.Secrets;

namespace ContainerSdk.Analyzers.Tests;

/// <summary>
/// The analyzer and the publish scan use one rule set: the analyzer compiles ContainerSdk.Secrets/Rules in (it cannot
/// load ContainerSdk.Secrets.dll), so these tests prove the compiled-in copy is that source and behaves identically, and that the
/// three catalogs (rules, analyzer descriptors, task resx) and the docs agree.
/// </summary>
public class SameRulesTests
{
    private static string RepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    [Fact]
    public void Analyzer_compiles_the_core_rule_sources_and_keeps_no_rules_of_its_own()
    {
        var project = File.ReadAllText(Path.Combine(RepoRoot(), "src/ContainerSdk.Analyzers/ContainerSdk.Analyzers.csproj"));
        project.ShouldContain("<Compile Include=\"../ContainerSdk.Secrets/Rules/**/*.cs\"");
        // The publish-time half (file reading, SARIF) is net8.0 code the analyzer neither needs nor could compile.
        project.ShouldNotContain("ContainerSdk.Secrets/Publishing");
        var own = Directory.GetFiles(Path.Combine(RepoRoot(), "src/ContainerSdk.Analyzers"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
        own.ShouldAllBe(f => !File.ReadAllText(f).Contains("new Regex("), "rule logic belongs in ContainerSdk.Secrets/Rules");
    }

    [Fact]
    public void Analyzer_copy_of_the_rules_is_identical_and_finds_exactly_what_the_scan_finds_on_the_corpus()
    {
        AnalyzerRules.All.Select(r => (r.Id, r.Name, r.Title, r.Description)).ShouldBe(SecretRules.All.Select(r => (r.Id, r.Name, r.Title, r.Description)));
        foreach (var sample in SecretCorpus.Generate(seed: 3, perRule: 3))
        {
            var core = SecretScanner.Scan(sample.Text, SecretSource.ForFile(sample.Path)).Select(m => $"{m.Rule.Id}:{m.Line}:{m.Column}:{m.Hint}:{m.Fingerprint}");
            var inAnalyzer = AnalyzerScanner.Scan(sample.Text, AnalyzerSource.ForFile(sample.Path)).Select(m => $"{m.Rule.Id}:{m.Line}:{m.Column}:{m.Hint}:{m.Fingerprint}");
            inAnalyzer.ShouldBe(core, sample.Path);
        }
    }

    [Fact]
    public void Descriptors_resx_release_tracking_and_docs_cover_every_rule()
    {
        Descriptors.All.Select(d => d.Id).ShouldBe(SecretRules.All.Select(r => r.Id));
        foreach (var rule in SecretRules.All)
        {
            var descriptor = Descriptors.All.Single(d => d.Id == rule.Id);
            descriptor.Title.ToString().ShouldBe(rule.Title);
            descriptor.HelpLinkUri.ShouldBe(rule.HelpLink);
            ContainerSdk.Diagnostics.Messages.Get(rule.Id).ShouldStartWith("warning " + rule.Id + ": ");
        }

        var unshipped = File.ReadAllText(Path.Combine(RepoRoot(), "src/ContainerSdk.Analyzers/AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(RepoRoot(), "src/ContainerSdk.Analyzers/AnalyzerReleases.Shipped.md"));
        // Other analyzers' rules (CSDK6xxx) share the release files; their own tests check their rows.
        Regex.Matches(unshipped, @"^(CSDK3\d{3}) \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ShouldBe(Descriptors.All.Select(d => d.Id));

        var secretCodes = ContainerSdk.Diagnostics.Messages.AllCodes().Where(c => c.StartsWith("CSDK3")).Concat(Descriptors.All.Select(d => d.Id)).Distinct();
        var missing = secretCodes.Where(c => !File.Exists(Path.Combine(RepoRoot(), "docs", "diagnostics", c + ".md"))).ToList();
        missing.ShouldBeEmpty();
    }
}
