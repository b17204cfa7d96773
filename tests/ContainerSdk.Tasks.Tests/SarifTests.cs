using System.Text.Json;
using ContainerSdk.Tasks;

using ContainerSdk.Secrets;

using ContainerSdk.Testing;

namespace ContainerSdk.Tasks.Tests;

/// <summary>The report has the SARIF 2.1.0 shape GitHub code scanning accepts (upload-sarif checks the same fields).</summary>
public class SarifTests
{
    [Fact]
    public void Report_has_the_sarif_2_1_0_shape_github_code_scanning_accepts()
    {
        using var folder = new PublishFolder(modelBytes: 1 << 20);
        Directory.CreateDirectory(Path.Combine(folder.Root, ".git"));
        var engine = new TestBuildEngine();
        var task = new ScanPublishedSecrets
        {
            BuildEngine = engine,
            PublishDirectory = folder.Publish,
            ProjectDirectory = folder.Project,
            SarifFile = Path.Combine(folder.Root, "out", "report.sarif"),
            ToolVersion = "1.2.3-test",
        };
        task.Execute().ShouldBeTrue(engine.Log);

        using var sarif = JsonDocument.Parse(File.ReadAllText(task.SarifOutput!));
        var root = sarif.RootElement;
        root.GetProperty("version").GetString().ShouldBe("2.1.0");
        root.GetProperty("$schema").GetString()!.ShouldContain("sarif-2.1.0");
        var run = root.GetProperty("runs").EnumerateArray().ShouldHaveSingleItem();
        var driver = run.GetProperty("tool").GetProperty("driver");
        driver.GetProperty("name").GetString().ShouldBe("ContainerSdk");
        driver.GetProperty("semanticVersion").GetString().ShouldBe("1.2.3-test");
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        rules.Select(r => r.GetProperty("id").GetString()).ShouldBe(SecretRules.All.Select(r => r.Id));
        foreach (var rule in rules)
        {
            rule.GetProperty("shortDescription").GetProperty("text").GetString().ShouldNotBeNullOrWhiteSpace();
            rule.GetProperty("helpUri").GetString()!.ShouldEndWith(rule.GetProperty("id").GetString() + ".md");
            double.Parse(rule.GetProperty("properties").GetProperty("security-severity").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(0, 10);
        }

        run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString()!.ShouldStartWith("file:///");
        var results = run.GetProperty("results").EnumerateArray().ToList();
        results.Count.ShouldBe(8);
        foreach (var result in results)
        {
            var id = result.GetProperty("ruleId").GetString()!;
            rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString().ShouldBe(id);
            result.GetProperty("level").GetString().ShouldBe("warning");
            result.GetProperty("message").GetProperty("text").GetString().ShouldNotBeNullOrWhiteSpace();
            var location = result.GetProperty("locations").EnumerateArray().ShouldHaveSingleItem().GetProperty("physicalLocation");
            var artifact = location.GetProperty("artifactLocation");
            artifact.GetProperty("uriBaseId").GetString().ShouldBe("%SRCROOT%");
            var uri = artifact.GetProperty("uri").GetString()!;
            uri.ShouldStartWith("bin/publish/");
            Uri.IsWellFormedUriString(uri, UriKind.Relative).ShouldBeTrue(uri);
            if (location.TryGetProperty("region", out var region))
            {
                region.GetProperty("startLine").GetInt32().ShouldBeGreaterThan(0);
            }

            result.GetProperty("partialFingerprints").GetProperty("containerSdkSecret/v1").GetString()!.ShouldStartWith(SecretFingerprint.Prefix);
        }

        results.ShouldContain(r => r.GetProperty("ruleId").GetString() == "CSDK3203"
            && r.GetProperty("locations")[0].GetProperty("logicalLocations")[0].GetProperty("name").GetString() == "a string constant");
    }

    [Fact]
    public void Report_with_no_findings_is_still_written_for_ci_to_upload()
    {
        var dir = Path.Combine(Path.GetTempPath(), "csdk-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "appsettings.json"), "{ \"AllowedHosts\": \"*\" }");
            var engine = new TestBuildEngine();
            var task = new ScanPublishedSecrets { BuildEngine = engine, PublishDirectory = dir, SarifFile = Path.Combine(dir, "r.sarif") };
            task.Execute().ShouldBeTrue();
            engine.Warnings.ShouldBeEmpty();
            JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "r.sarif"))).RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength().ShouldBe(0);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
