using ContainerSdk.Diagnostics;
using ContainerSdk.Generation;

namespace ContainerSdk.Core.Tests;

public sealed class GeneratedFileWriterTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("containersdk-writer").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Generated(string body = "\nFROM a\n") => GeneratedText.Seal(["# generated"], body);

    private (WriteOutcome Outcome, List<ContainerDiagnostic> Diagnostics) Write(string path, string content, bool overwrite = false)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var outcome = GeneratedFileWriter.Write([new PlannedFile(path, content)], overwrite, diagnostics).Single().Outcome;
        return (outcome, diagnostics);
    }

    [Fact]
    public void Writes_a_new_file_and_leaves_an_identical_one_untouched()
    {
        var path = Path.Combine(dir, "sub", "Dockerfile");
        Write(path, Generated()).Outcome.ShouldBe(WriteOutcome.Written);
        var stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        var again = Write(path, Generated());
        again.Outcome.ShouldBe(WriteOutcome.Unchanged);
        again.Diagnostics.ShouldBeEmpty();
        File.GetLastWriteTimeUtc(path).ShouldBe(stamp);
        File.ReadAllBytes(path)[0].ShouldBe((byte)'#', "no byte order mark");
    }

    [Fact]
    public void Replaces_its_own_unedited_file()
    {
        var path = Path.Combine(dir, "Dockerfile");
        Write(path, Generated("\nFROM a\n"));
        Write(path, Generated("\nFROM b\n")).Outcome.ShouldBe(WriteOutcome.Written);
        File.ReadAllText(path).ShouldContain("FROM b");
        Directory.GetFiles(dir).ShouldBe([path], "no temporary file is left behind");
    }

    [Fact]
    public void Keeps_a_hand_edited_file_with_a_warning_that_says_how_to_regenerate()
    {
        var path = Path.Combine(dir, "Dockerfile");
        Write(path, Generated("\nFROM a\n"));
        File.AppendAllText(path, "RUN echo my edit\n");
        var edited = File.ReadAllText(path);

        var result = Write(path, Generated("\nFROM b\n"));
        result.Outcome.ShouldBe(WriteOutcome.KeptUserFile);
        result.Diagnostics.Single().Code.ShouldBe("CSDK2001");
        result.Diagnostics.Single().Message.ShouldContain("-p:ContainerDockerfileOverwrite=true");
        File.ReadAllText(path).ShouldBe(edited);

        Write(path, Generated("\nFROM b\n"), overwrite: true).Outcome.ShouldBe(WriteOutcome.Written);
        File.ReadAllText(path).ShouldBe(Generated("\nFROM b\n"));
    }

    [Fact]
    public void Keeps_a_foreign_file()
    {
        var path = Path.Combine(dir, "Dockerfile");
        File.WriteAllText(path, "FROM mine\n");
        var result = Write(path, Generated());
        result.Outcome.ShouldBe(WriteOutcome.KeptUserFile);
        result.Diagnostics.Single().Code.ShouldBe("CSDK2002");
        File.ReadAllText(path).ShouldBe("FROM mine\n");
    }

    [Fact]
    public void Crlf_checkout_of_an_unedited_file_still_counts_as_unedited() =>
        GeneratedText.Inspect(Generated().Replace("\n", "\r\n")).ShouldBe(GeneratedFileState.Unedited);

    [Fact]
    public void Writes_nothing_when_an_error_was_already_reported()
    {
        var path = Path.Combine(dir, "Dockerfile");
        File.WriteAllText(path, Generated("\nFROM old\n"));
        var diagnostics = new List<ContainerDiagnostic> { ContainerDiagnostic.Create("CSDK1004", "root") };
        GeneratedFileWriter.Write([new PlannedFile(path, Generated("\nFROM new\n")), new PlannedFile(Path.Combine(dir, ".dockerignore"), "x")], false, diagnostics);
        File.ReadAllText(path).ShouldContain("FROM old");
        File.Exists(Path.Combine(dir, ".dockerignore")).ShouldBeFalse();
    }

    [Fact]
    public void A_users_ignore_file_is_kept_and_checked_for_missing_exclusions()
    {
        var path = Path.Combine(dir, ".dockerignore");
        File.WriteAllText(path, "**/bin\n**/obj\n");
        var diagnostics = new List<ContainerDiagnostic>();
        GeneratedFileWriter.Write([new PlannedFile(path, Generated(), IsIgnoreFile: true)], false, diagnostics);
        File.ReadAllText(path).ShouldBe("**/bin\n**/obj\n");
        var warning = diagnostics.Single();
        warning.Code.ShouldBe("CSDK2004");
        warning.Message.ShouldContain(".env*");
        warning.Message.ShouldContain("*.pfx");
        warning.Message.ShouldNotContain("obj/");
        warning.Message.ShouldNotContain("bin/");
    }

    [Fact]
    public void A_kept_dockerfile_keeps_the_ignore_file_beside_it_unwritten()
    {
        var dockerfile = Path.Combine(dir, "Dockerfile");
        File.WriteAllText(dockerfile, "FROM mine\n");
        var diagnostics = new List<ContainerDiagnostic>();
        var outcomes = GeneratedFileWriter.Write(
            [new PlannedFile(dockerfile, Generated()), new PlannedFile(dockerfile + ".dockerignore", Generated("\n**/bin\n"), IsIgnoreFile: true)],
            false,
            diagnostics);
        outcomes.Select(o => o.Outcome).ShouldBe([WriteOutcome.KeptUserFile, WriteOutcome.KeptUserFile]);
        File.Exists(dockerfile + ".dockerignore").ShouldBeFalse();
        diagnostics.Single().Code.ShouldBe("CSDK2002");
    }
}
