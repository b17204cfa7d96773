using ContainerSdk.Diagnostics;
using ContainerSdk.Images.Building;

namespace ContainerSdk.Images.Tests.Building;

/// <summary>The pipeline without an engine: it stops at the first bad input, reports through the log and returns the
/// same diagnostics (the task tests in ContainerSdk.Tasks.Tests drive it end to end with fake engines).</summary>
public sealed class ImageBuildPipelineTests
{
    private sealed class RecordingLog : IImageBuildLog
    {
        public List<string> Messages { get; } = [];

        public List<ContainerDiagnostic> Diagnostics { get; } = [];

        public void Message(LogImportance importance, string text) => Messages.Add(text);

        public void Diagnostic(ContainerDiagnostic diagnostic) => Diagnostics.Add(diagnostic);
    }

    [Theory]
    [InlineData("kubectl", "true", "inference", "CSDK5002")]
    [InlineData("auto", "maybe", "inference", "CSDK5008")]
    [InlineData("auto", "true", "Not Valid", "CSDK5008")]
    public void The_first_bad_input_stops_the_run_before_any_engine(string engine, string verify, string repository, string code)
    {
        var log = new RecordingLog();
        var inputs = new ImageBuildInputs { Dockerfile = "/nonexistent/Dockerfile", Context = "/nonexistent", Engine = engine, Verify = verify, Repository = repository };

        ImageBuildOutcome outcome = new ImageBuildPipeline(inputs, log).Run();

        outcome.Succeeded.ShouldBeFalse();
        outcome.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(code);
        log.Diagnostics.ShouldBe(outcome.Diagnostics);
        log.Messages.ShouldBeEmpty();
        outcome.EngineName.ShouldBeNull();
        outcome.ImageReferences.ShouldBeEmpty();
    }

    [Fact]
    public void Push_without_a_registry_is_CSDK5009_naming_the_reference()
    {
        var log = new RecordingLog();
        var inputs = new ImageBuildInputs { Repository = "inference", Tags = ["1.0"], Push = true };

        var error = new ImageBuildPipeline(inputs, log).Run().Diagnostics.ShouldHaveSingleItem();

        error.Code.ShouldBe("CSDK5009");
        error.Message.ShouldContain("inference:1.0");
    }

    [Theory]
    [InlineData("4.3.1", "4.3.1")]
    [InlineData("Version:         1.28.2\nGo Version:      go1.19.8", "1.28.2")]
    [InlineData("Client: 27.3.1\n\n", "Client: 27.3.1")]
    [InlineData("", "")]
    public void The_engine_version_is_the_labelled_line_or_the_last_one(string output, string expected) =>
        EngineSelection.VersionOf(output.Split('\n')).ShouldBe(expected);
}
