using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class BuildContextRulesTests
{
    private static readonly string Context = ContextPaths.NormalizeDirectory(TestInputs.Context);

    [Theory]
    [InlineData("src/App/App.csproj", "src/App/App.csproj", "")]
    [InlineData("src/", "src/", "")]
    [InlineData("Directory.Build.props", "Directory.Build.props", "")]
    [InlineData("../other/x.props", null, "CSDK1015")]
    [InlineData("src/a$b.props", null, "CSDK1014")]
    [InlineData("src/a\"b.props", null, "CSDK1014")]
    [InlineData("src/a\nb.props", null, "CSDK1014")]
    public void Relative(string path, string? expected, string codes)
    {
        var diagnostics = new List<Diagnostics.ContainerDiagnostic>();
        ContextPaths.Relative(Context, TestInputs.P(path), diagnostics, required: true).ShouldBe(expected);
        string.Join(",", diagnostics.Select(d => d.Code)).ShouldBe(codes);

        var quiet = new List<Diagnostics.ContainerDiagnostic>();
        ContextPaths.Relative(Context, TestInputs.P(path), quiet, required: false).ShouldBe(expected);
        quiet.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("src/App/Dockerfile", "src/App/Dockerfile")]
    [InlineData("", "Dockerfile")]
    [InlineData("../elsewhere/Dockerfile.gpu", "Dockerfile.gpu")]
    [InlineData("src/App/Docker$file", "Dockerfile")]
    public void Dockerfile_path(string dockerfile, string expected)
    {
        var parsed = BuildContextRules.ParseSources(Context, TestInputs.P("src/App/App.csproj"), dockerfile.Length == 0 ? "" : TestInputs.P(dockerfile), []);
        parsed.Succeeded.ShouldBeTrue();
        parsed.Value.DockerfilePath.ShouldBe(expected);
    }

    [Fact]
    public void The_restore_inputs_are_sorted_and_include_the_project()
    {
        var parsed = BuildContextRules.ParseSources(Context, TestInputs.P("src/App/App.csproj"), "",
            [TestInputs.P("src/Lib/Lib.csproj"), TestInputs.P("Directory.Build.props"), TestInputs.P("src/Lib/Lib.csproj"), TestInputs.P("../out.props")]);
        parsed.Codes().ShouldBe("CSDK1015");
        parsed.Value.ProjectPath.ShouldBe("src/App/App.csproj");
        parsed.Value.RestoreInputs.ShouldBe(["Directory.Build.props", "src/App/App.csproj", "src/Lib/Lib.csproj"]);
    }

    [Fact]
    public void A_project_outside_the_context_has_no_path() =>
        BuildContextRules.ParseSources(Context, TestInputs.P("../App.csproj"), "", []).Value.ProjectPath.ShouldBeNull();

    [Fact]
    public void Kept_files_are_the_inputs_the_models_and_the_build_needed_files_outside_obj_and_bin()
    {
        var models = new List<ModelFile> { new("models/m.onnx", "/app/models/m.onnx") { ExternalData = [new("models/w.bin", "/app/models/w.bin")] } };
        var parsed = BuildContextRules.ParseKeep(Context, ["src/App/App.csproj"], models,
            [TestInputs.P("src/App/schema.json"), TestInputs.P("src/App/obj/gen.cs"), TestInputs.P("src/App/bin/x.dll"), TestInputs.P("../x")]);
        parsed.Diagnostics.ShouldBeEmpty();
        parsed.Value.ShouldBe(["models/m.onnx", "models/w.bin", "src/App/App.csproj", "src/App/schema.json"]);
    }
}
