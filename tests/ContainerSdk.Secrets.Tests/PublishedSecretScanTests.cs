using ContainerSdk.Diagnostics;
using System.Text.Json;
using ContainerSdk.Tests.SecretCorpus;

namespace ContainerSdk.Secrets.Tests;

/// <summary>The publish-time scan as a library call: no MSBuild, the log entries it returns are what the task logs.</summary>
public sealed class PublishedSecretScanTests : IDisposable
{
    private static readonly CorpusRandom R = new(2025);

    private readonly string root = Path.Combine(Path.GetTempPath(), "csdk-scan-" + Guid.NewGuid().ToString("N"));

    private readonly string publish;

    private readonly string token = "gh" + "p_" + R.Alnum(36);

    public PublishedSecretScanTests()
    {
        publish = Path.Combine(root, "publish");
        Directory.CreateDirectory(Path.Combine(publish, "config"));
        Directory.CreateDirectory(Path.Combine(publish, "docs"));
        File.WriteAllText(Path.Combine(publish, "config", "deploy.yaml"), "deploy:\n  token: " + token + "\n");
        File.WriteAllText(Path.Combine(publish, "docs", "readme.txt"), "token: " + token + "\n");
        File.WriteAllText(Path.Combine(publish, "appsettings.json"), "{ \"AllowedHosts\": \"*\" }\n");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static List<(string Code, string File, int Line)> Diagnostics(PublishedSecretScanResult result) =>
        result.Log.Where(e => e.Diagnostic is not null).Select(e => (e.Diagnostic!.Code, Path.GetFileName(e.File!), e.Line)).ToList();

    [Fact]
    public void Reports_each_finding_at_its_file_and_line_excludes_globs_and_writes_the_sarif_report()
    {
        var sarif = Path.Combine(root, "obj", "report.sarif");
        var result = PublishedSecretScan.Run(new PublishedSecretScanOptions
        {
            PublishDirectory = publish,
            Exclude = ["docs/**"],
            SarifFile = sarif,
        });

        Diagnostics(result).ShouldBe([("CSDK3203", "deploy.yaml", 2)]);
        result.Log.Single(e => e.Diagnostic is not null).Diagnostic!.IsError.ShouldBeFalse();
        result.SecretCount.ShouldBe(1);
        result.SarifOutput.ShouldBe(sarif);
        using var report = JsonDocument.Parse(File.ReadAllText(sarif));
        report.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength().ShouldBe(1);
        File.ReadAllText(sarif).ShouldNotContain(token);
        result.Log.Last().Message!.ShouldStartWith("ContainerSdk: scanned 2 published files");
        result.Log.ShouldAllBe(e => e.Message == null || !e.Message.Contains(token));
    }

    [Fact]
    public void Errors_with_treat_as_errors_and_none_for_a_disabled_rule()
    {
        var errors = PublishedSecretScan.Run(new PublishedSecretScanOptions { PublishDirectory = publish, TreatAsErrors = true });
        errors.Log.Where(e => e.Diagnostic is not null).ShouldAllBe(e => e.Diagnostic!.IsError);
        errors.SecretCount.ShouldBe(2);

        var disabled = PublishedSecretScan.Run(new PublishedSecretScanOptions { PublishDirectory = publish, DisabledRules = "CS1591; CSDK3203" });
        Diagnostics(disabled).ShouldBeEmpty();
        disabled.SecretCount.ShouldBe(0);
    }

    [Fact]
    public void A_written_baseline_accepts_the_current_findings_on_the_next_scan()
    {
        var baseline = Path.Combine(root, "ContainerSecrets.baseline");
        var write = PublishedSecretScan.Run(new PublishedSecretScanOptions { PublishDirectory = publish, WriteBaseline = true, BaselineOutputFile = baseline });
        Diagnostics(write).ShouldBeEmpty();
        write.Log.ShouldHaveSingleItem().Message!.ShouldBe("ContainerSdk: wrote 1 secret fingerprints to the baseline '" + baseline + "'.");
        File.ReadAllText(baseline).ShouldNotContain(token);

        var next = PublishedSecretScan.Run(new PublishedSecretScanOptions { PublishDirectory = publish, BaselineFile = baseline });
        Diagnostics(next).ShouldBeEmpty();
        next.Log.Last().Message!.ShouldContain(", 2 accepted by the baseline");
    }

    [Fact]
    public void A_missing_publish_folder_or_baseline_is_said_not_thrown()
    {
        var none = PublishedSecretScan.Run(new PublishedSecretScanOptions { PublishDirectory = Path.Combine(root, "nope") });
        none.Log.ShouldHaveSingleItem().Importance.ShouldBe(LogImportance.Normal);
        none.Log[0].Message!.ShouldContain("nothing to scan for secrets");

        var missing = PublishedSecretScan.Run(new PublishedSecretScanOptions { PublishDirectory = publish, BaselineFile = Path.Combine(root, "missing.baseline") });
        missing.Log.First(e => e.Diagnostic is not null).Diagnostic!.Code.ShouldBe("CSDK3001");
    }

    [Fact]
    public void A_finding_in_a_file_published_from_the_project_points_at_the_project_file()
    {
        var project = Path.Combine(root, "src");
        Directory.CreateDirectory(Path.Combine(project, "config"));
        var source = Path.Combine(project, "config", "deploy.yaml");
        File.Copy(Path.Combine(publish, "config", "deploy.yaml"), source);
        var result = PublishedSecretScan.Run(new PublishedSecretScanOptions
        {
            PublishDirectory = publish,
            Exclude = ["docs/**"],
            PublishedFiles = [new PublishedFile(Path.Combine("config", "deploy.yaml"), source)],
        });
        result.Log.Single(e => e.Diagnostic is not null).File.ShouldBe(source);
    }
}
