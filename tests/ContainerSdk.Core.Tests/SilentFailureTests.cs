using ContainerSdk.Diagnostics;
using ContainerSdk.Generation;
using ContainerSdk.Model;
using ContainerSdk.Parsing;
using ContainerSdk.Text;

namespace ContainerSdk.Core.Tests;

/// <summary>Shapes that used to pass generation and fail later (issue 14): each is refused or handled at generation.</summary>
public sealed class SilentFailureTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("containersdk-silent").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static IReadOnlyList<ParsedInstruction> Parse(GenerationResult result)
    {
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        return DockerfileParser.Parse(result.Dockerfile!);
    }

    private static string Single(GenerationResult result, string keyword) => Parse(result).Single(i => i.Keyword == keyword).Arguments;

    // Defect 10: an edited ignore file that drops a secret exclusion.
    [Fact]
    public void An_edited_ignore_file_missing_secret_exclusions_is_CSDK2004_too()
    {
        var path = Path.Combine(dir, "Dockerfile.dockerignore");
        var generated = IgnoreFile.Render(DockerfileGenerator.Generate(TestInputs.Web()).Spec!);
        File.WriteAllText(path, string.Join("\n", generated.Split('\n').Where(l => l != "**/.env*")));
        var diagnostics = new List<ContainerDiagnostic>();
        GeneratedFileWriter.Write([new PlannedFile(path, generated, IsIgnoreFile: true)], false, diagnostics).Single().Outcome.ShouldBe(WriteOutcome.KeptUserFile);
        diagnostics.Select(d => d.Code).ShouldBe(["CSDK2001", "CSDK2004"]);
        diagnostics[1].Message.ShouldContain(".env");
        diagnostics[1].Message.ShouldContain("edited by hand");
    }

    [Fact]
    public void An_edited_ignore_file_that_keeps_every_exclusion_is_CSDK2001_only()
    {
        var path = Path.Combine(dir, "Dockerfile.dockerignore");
        var generated = IgnoreFile.Render(DockerfileGenerator.Generate(TestInputs.Web()).Spec!);
        File.WriteAllText(path, generated + "extra/\n");
        var diagnostics = new List<ContainerDiagnostic>();
        GeneratedFileWriter.Write([new PlannedFile(path, generated, IsIgnoreFile: true)], false, diagnostics);
        diagnostics.Select(d => d.Code).ShouldBe(["CSDK2001"]);
    }
}
