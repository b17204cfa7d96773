using System.Text.Json;

namespace ContainerSdk.Secrets.Tests;

/// <summary>The SARIF writer on its own: paths relative to the source root, a region only for a known line, no secret.</summary>
public class SecretSarifWriterTests
{
    [Fact]
    public void A_report_locates_each_finding_under_the_source_root_and_carries_only_the_fingerprint()
    {
        var root = Path.Combine(Path.GetTempPath(), "csdk-sarif-root");
        var token = "gh" + "p_" + new ContainerSdk.Tests.SecretCorpus.CorpusRandom(5).Alnum(36);
        var match = SecretScanner.Scan("x\ntoken: " + token + "\n", SecretSource.ForFile("deploy.yaml")).ShouldHaveSingleItem();
        var inFile = new PublishedSecret(match, Path.Combine(root, "bin", "deploy.yaml"), "deploy.yaml", match.Line, match.Column, null);
        var inAssembly = new PublishedSecret(match, Path.Combine(root, "bin", "App.dll"), "App.dll", 0, 0, "a string constant");
        var reports = new List<SecretReport>
        {
            new(inFile, Path.Combine(root, "src", "deploy.yaml"), "the message", false),
            new(inAssembly, inAssembly.PublishedPath, "the other message", true),
        };

        using var stream = new MemoryStream();
        SecretSarifWriter.Write(stream, reports, root, "1.2.3");
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        text.ShouldNotContain(token);
        using var sarif = JsonDocument.Parse(text);
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        results.Count.ShouldBe(2);

        var first = results[0].GetProperty("locations")[0].GetProperty("physicalLocation");
        first.GetProperty("artifactLocation").GetProperty("uri").GetString().ShouldBe("src/deploy.yaml");
        first.GetProperty("region").GetProperty("startLine").GetInt32().ShouldBe(2);
        results[0].GetProperty("level").GetString().ShouldBe("warning");
        results[0].GetProperty("partialFingerprints").GetProperty("containerSdkSecret/v1").GetString().ShouldBe(match.Fingerprint);

        var second = results[1].GetProperty("locations")[0];
        second.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString().ShouldBe("bin/App.dll");
        second.GetProperty("physicalLocation").TryGetProperty("region", out _).ShouldBeFalse();
        second.GetProperty("logicalLocations")[0].GetProperty("name").GetString().ShouldBe("a string constant");
        results[1].GetProperty("level").GetString().ShouldBe("error");
    }
}
