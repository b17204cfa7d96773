using System.Diagnostics;
using System.Text.Json;
using ContainerSdk.Tasks;
using Microsoft.Build.Utilities;

using ContainerSdk.Secrets;
using ContainerSdk.Tests.SecretCorpus;

using ContainerSdk.Testing;

namespace ContainerSdk.Tasks.Tests;

/// <summary>The publish-time scan, driven directly on a planted publish folder (the dotnet publish path is tested end to end elsewhere).</summary>
public class ScanPublishedSecretsTests
{
    internal static (ScanPublishedSecrets Task, TestBuildEngine Engine) Create(PublishFolder folder, Action<ScanPublishedSecrets>? configure = null)
    {
        var engine = new TestBuildEngine();
        var task = new ScanPublishedSecrets
        {
            BuildEngine = engine,
            PublishDirectory = folder.Publish,
            ProjectDirectory = folder.Project,
            SarifFile = Path.Combine(folder.Root, "obj", "containersdk-secrets.sarif"),
            PublishedItems =
            [
                new TaskItem(Path.Combine(folder.Project, "appsettings.Production.json"), new Dictionary<string, string> { ["RelativePath"] = "appsettings.Production.json" }),
            ],
        };
        configure?.Invoke(task);
        return (task, engine);
    }

    [Fact]
    public void Finds_every_planted_secret_once_at_its_file_and_line_and_nothing_else()
    {
        using var folder = new PublishFolder();
        var (task, engine) = Create(folder);
        task.Execute().ShouldBeTrue(engine.Log);

        var found = engine.Warnings.Select(w => (w.Code, Path.GetFileName(w.File), w.LineNumber)).OrderBy(w => w.Code).ToList();
        found.ShouldBe(
            [
                ("CSDK3101", ".env", 2),
                ("CSDK3102", "aspnetapp.pfx", 0),
                ("CSDK3201", "App.dll", 0),
                ("CSDK3203", "App.dll", 0),
                ("CSDK3204", "settings.yaml", 3),
                ("CSDK3206", "App.dll", 0),
                ("CSDK3301", "appsettings.Production.json", 4),
                ("CSDK3401", ".env", 2),
            ],
            engine.Log);

        // A file copied unchanged from the project is reported at the project file, so the IDE opens the right one.
        engine.Warnings.Single(w => w.Code == "CSDK3301").File.ShouldBe(Path.Combine(folder.Project, "appsettings.Production.json"));
        engine.Warnings.ShouldAllBe(w => w.HelpLink.EndsWith(w.Code + ".md"));
        engine.Warnings.Single(w => w.Code == "CSDK3201").Message!.ShouldContain("embedded resource 'App.settings.json'");
        task.SecretCount.ShouldBe(8);
        foreach (var secret in folder.Secrets)
        {
            engine.Log.ShouldNotContain(secret);
            File.ReadAllText(task.SarifOutput!).ShouldNotContain(secret);
        }
    }

    [Fact]
    public void Errors_with_ContainerSecretsAsErrors_and_the_build_fails()
    {
        using var folder = new PublishFolder(modelBytes: 1 << 20);
        var (task, engine) = Create(folder, t => t.TreatAsErrors = true);
        task.Execute().ShouldBeFalse();
        engine.Errors.Count.ShouldBe(8, engine.Log);
        engine.Warnings.ShouldBeEmpty(engine.Log);
        JsonDocument.Parse(File.ReadAllText(task.SarifOutput!)).RootElement.GetProperty("runs")[0].GetProperty("results")
            .EnumerateArray().ShouldAllBe(r => r.GetProperty("level").GetString() == "error");
    }

    [Fact]
    public void A_written_baseline_accepts_every_current_finding_and_only_those()
    {
        using var folder = new PublishFolder(modelBytes: 1 << 20);
        var baseline = Path.Combine(folder.Project, "ContainerSecrets.baseline");
        var (writer, writerEngine) = Create(folder, t => { t.WriteBaseline = true; t.BaselineOutputFile = baseline; });
        writer.Execute().ShouldBeTrue(writerEngine.Log);
        writerEngine.Warnings.ShouldBeEmpty();
        var text = File.ReadAllText(baseline);
        foreach (var secret in folder.Secrets)
        {
            text.ShouldNotContain(secret);
        }

        var (task, engine) = Create(folder, t => t.BaselineFile = baseline);
        task.Execute().ShouldBeTrue(engine.Log);
        engine.Warnings.ShouldBeEmpty(engine.Log);
        engine.Messages.ShouldContain(m => m.Contains("8 accepted by the baseline"));

        // A new secret is still reported.
        File.WriteAllText(Path.Combine(folder.Publish, "new.yaml"), "token: " + "np" + "m_" + new CorpusRandom(3).Alnum(36) + "\n");
        var (again, againEngine) = Create(folder, t => t.BaselineFile = baseline);
        again.Execute().ShouldBeTrue();
        againEngine.Warnings.Select(w => w.Code).ShouldBe(["CSDK3213"], againEngine.Log);
    }

    [Fact]
    public void NoWarn_codes_and_excluded_globs_are_left_out_of_warnings_and_report()
    {
        using var folder = new PublishFolder(modelBytes: 1 << 20);
        var (task, engine) = Create(folder, t =>
        {
            t.DisabledRules = "CS1591;CSDK3101, CSDK3401";
            t.Exclude = [new TaskItem("contentFiles/**"), new TaskItem("*.dll")];
        });
        task.Execute().ShouldBeTrue(engine.Log);
        engine.Warnings.Select(w => w.Code).OrderBy(c => c).ToList().ShouldBe(["CSDK3102", "CSDK3301"], engine.Log);
    }

    [Fact]
    public void An_unreadable_baseline_is_a_warning_not_a_failure()
    {
        using var folder = new PublishFolder(modelBytes: 1 << 20);
        var (task, engine) = Create(folder, t => t.BaselineFile = Path.Combine(folder.Root, "missing.baseline"));
        task.Execute().ShouldBeTrue();
        engine.Warnings.ShouldContain(w => w.Code == "CSDK3001");
    }

    [Fact]
    public void Secrets_across_the_chunk_boundary_of_a_large_text_file_are_found_once_with_their_line()
    {
        using var folder = new PublishFolder(modelBytes: 1 << 20);
        var r = new CorpusRandom(9);
        var lines = new List<string>();
        var expected = new List<int>();
        var chars = 0;
        while (chars < 3_500_000)
        {
            var line = "{\"id\": " + lines.Count + ", \"name\": \"" + r.Letters(40) + "\"}";
            if (chars is > 1_048_000 and < 1_049_200 || lines.Count == 50_000)
            {
                line = "{\"id\": " + lines.Count + ", \"url\": \"https://hooks.slack.com/services/T" + r.UpperDigits(8) + "/B" + r.UpperDigits(10) + "/" + r.Alnum(24) + "\"}";
                expected.Add(lines.Count + 1);
            }

            lines.Add(line);
            chars += line.Length + 1;
        }

        File.WriteAllText(Path.Combine(folder.Publish, "data.jsonl"), string.Join("\n", lines) + "\n");
        var (task, engine) = Create(folder, t => t.Exclude = [new TaskItem("*.dll"), new TaskItem(".env"), new TaskItem("*.pfx"), new TaskItem("**/*.yaml"), new TaskItem("*.json")]);
        task.Execute().ShouldBeTrue(engine.Log);
        engine.Warnings.Where(w => w.Code == "CSDK3205").Select(w => w.LineNumber).ShouldBe(expected, engine.Log);
    }

    [Fact]
    public void Utf16_text_and_text_that_starts_like_an_executable_are_read_as_text()
    {
        using var folder = new PublishFolder(modelBytes: 1 << 20);
        var r = new CorpusRandom(12);
        File.WriteAllText(Path.Combine(folder.Publish, "unicode.config"), "<x>\n<add key=\"a\" value=\"" + "gh" + "p_" + r.Alnum(36) + "\" />\n</x>\n", System.Text.Encoding.Unicode);
        File.WriteAllText(Path.Combine(folder.Publish, "mz.txt"), "MZ notes\ntoken " + "np" + "m_" + r.Alnum(36) + "\n");
        var (task, engine) = Create(folder, t => t.Exclude = [new TaskItem("*.dll"), new TaskItem(".env"), new TaskItem("*.pfx"), new TaskItem("**/*.yaml"), new TaskItem("*.json")]);
        task.Execute().ShouldBeTrue(engine.Log);
        engine.Warnings.Select(w => (w.Code, Path.GetFileName(w.File), w.LineNumber)).OrderBy(w => w.Code).ToList()
            .ShouldBe([("CSDK3203", "unicode.config", 2), ("CSDK3213", "mz.txt", 2)], engine.Log);
    }

    [Fact]
    public void Text_larger_than_the_limit_is_scanned_up_to_it_with_a_warning()
    {
        using var folder = new PublishFolder(modelBytes: 1 << 20);
        var token = "np" + "m_" + new CorpusRandom(4).Alnum(36);
        File.WriteAllText(Path.Combine(folder.Publish, "big.log"), "token " + token + "\n" + new string('a', 3 << 20) + "\ntoken " + token + "\n");
        var (task, engine) = Create(folder, t => { t.MaxFileSizeMB = 2; t.Exclude = [new TaskItem("*.dll")]; });
        task.Execute().ShouldBeTrue(engine.Log);
        engine.Warnings.ShouldContain(w => w.Code == "CSDK3003" && w.File.EndsWith("big.log"));
        engine.Warnings.Count(w => w.Code == "CSDK3213").ShouldBe(1);
    }
}

/// <summary>Tests that read the process-wide allocation counter: xunit runs this collection alone, after the others.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

[Collection(nameof(AllocationCollection))]
public class ScanAllocationTests
{
    /// <summary>Runs in the collection that xunit runs alone: the allocation counter is process-wide and the scan is
    /// parallel, so no other test may allocate while it is read.</summary>
    [Fact]
    public void A_300_MB_model_file_costs_neither_time_nor_memory()
    {
        using var folder = new PublishFolder(modelBytes: 300L << 20);
        var (task, engine) = ScanPublishedSecretsTests.Create(folder);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        task.Execute().ShouldBeTrue(engine.Log);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        (GC.GetTotalAllocatedBytes(precise: true) - allocated).ShouldBeLessThan(64L << 20);
        engine.Warnings.ShouldNotContain(w => w.File.EndsWith("model.onnx"));
    }
}
