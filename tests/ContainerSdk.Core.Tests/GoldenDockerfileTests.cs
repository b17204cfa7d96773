using ContainerSdk.Testing;
using System.Runtime.CompilerServices;
using ContainerSdk.Generation;
using ContainerSdk.Model;

namespace ContainerSdk.Core.Tests;

/// <summary>
/// Generated files compared with checked-in golden copies. To accept a change, run the tests with
/// CONTAINERSDK_UPDATE_GOLDEN=1 and review the diff of tests/ContainerSdk.Core.Tests/Golden like code.
/// </summary>
public class GoldenDockerfileTests
{
    public static IEnumerable<object[]> Matrix() =>
        from kind in new[] { "web", "console" }
        from accelerator in new[] { "cpu", "gpu" }
        from deployment in new[] { "fdd", "sc" }
        from graph in new[] { "single", "graph" }
        select new object[] { kind, accelerator, deployment, graph };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Dockerfile_matches_golden(string kind, string accelerator, string deployment, string graph)
    {
        var result = DockerfileGenerator.Generate(Inputs(kind, accelerator, deployment, graph, TestInputs.Context));
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        Golden.Check($"{kind}-{accelerator}-{deployment}-{graph}.Dockerfile", result.Dockerfile!);
        if (kind == "web" && deployment == "fdd")
        {
            Golden.Check($"{kind}-{accelerator}-{graph}.dockerignore", result.IgnoreFile!);
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Output_does_not_depend_on_checkout_path_or_line_endings(string kind, string accelerator, string deployment, string graph)
    {
        var here = DockerfileGenerator.Generate(Inputs(kind, accelerator, deployment, graph, TestInputs.Context));
        var elsewhere = DockerfileGenerator.Generate(Inputs(kind, accelerator, deployment, graph, Path.Combine(Path.GetTempPath(), "another", "checkout path")));
        elsewhere.Dockerfile.ShouldBe(here.Dockerfile);
        elsewhere.IgnoreFile.ShouldBe(here.IgnoreFile);
        here.Dockerfile!.ShouldNotContain("\r");
        here.Dockerfile!.ShouldNotContain(TestInputs.Context);
        GeneratedText.Inspect(here.Dockerfile!).ShouldBe(GeneratedFileState.Unedited);
    }

    [Theory]
    [InlineData("netcoreapp3.1", "v3.1", "web", "fdd")]
    [InlineData("netcoreapp3.1", "v3.1", "console", "sc")]
    [InlineData("net5.0", "v5.0", "web", "fdd")]
    [InlineData("net5.0", "v5.0", "console", "sc")]
    public void Legacy_framework_dockerfile_matches_golden(string moniker, string version, string kind, string deployment)
    {
        var inputs = Inputs(kind, "cpu", deployment, "single", TestInputs.Context) with { TargetFrameworkVersion = version };
        var result = DockerfileGenerator.Generate(inputs);
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        Golden.Check($"{moniker}-{kind}-{deployment}.Dockerfile", result.Dockerfile!);
    }

    [Fact]
    public void Sdk_rule_dockerfile_matches_golden()
    {
        // net8.0 runtime, built by the .NET 10 SDK because of net10.0 in TargetFrameworks and LangVersion 14.
        var inputs = Inputs("web", "cpu", "fdd", "graph", TestInputs.Context) with
        {
            TargetFrameworkVersion = "v8.0", TargetFrameworks = "net8.0;net10.0", PublishFramework = "net8.0", LangVersion = "14",
            GlobalJsonPath = "global.json", GlobalJsonSdkVersion = "8.0.100", GlobalJsonRollForward = "latestMajor",
        };
        var result = DockerfileGenerator.Generate(inputs);
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        Golden.Check("web-net8-sdk10-langversion14.Dockerfile", result.Dockerfile!);
    }

    internal static ContainerInputs Inputs(string kind, string accelerator, string deployment, string graph, string context)
    {
        string At(string relative) => Path.Combine(context, relative);
        var restore = new List<string> { At("src/App/App.csproj") };
        if (graph == "graph")
        {
            restore.AddRange([
                At("Directory.Build.props"), At("Directory.Packages.props"), At("NuGet.config"), At("global.json"),
                At("build/Versions.props"), At("src/Lib/Lib.csproj"), At("src/Lib/Directory.Build.props"),
                At("src/App/packages.lock.json"), At("artifacts/feed") + Path.DirectorySeparatorChar,
            ]);
        }

        return TestInputs.Web(context: context) with
        {
            IsWebProject = kind == "web",
            SelfContained = deployment == "sc" ? "true" : "false",
            ResolvedPackages = accelerator == "gpu"
                ? [new PackageInput("Microsoft.ML.OnnxRuntime.Gpu.Linux", "1.31.0"), new PackageInput("Microsoft.ML.OnnxRuntime.Managed", "1.31.0")]
                : [new PackageInput("Microsoft.ML.OnnxRuntime", "1.31.1")],
            RestoreInputs = restore,
            BuildNeededFiles = graph == "graph" ? [At("src/App/Program.cs"), At("src/App/Resources/signing.key"), At("src/App/obj/Debug/App.AssemblyInfo.cs")] : [],
            EnvironmentVariables = graph == "graph" ? [new NameValue("Model__Path", "/app/models/model.onnx")] : [],
            Labels = graph == "graph" ? [new NameValue("com.example.team", "ml-platform")] : [],
            SourceUrl = graph == "graph" ? "https://github.com/example/app" : null,
            Models = graph == "graph" ? [new ModelInput(At("src/App/models/model.onnx"), null), new ModelInput(At("models/tokenizer.json"), "/opt/tok/tokenizer.json")] : [],
            HealthCheckPath = graph == "graph" && kind == "web" ? "/v2/health/ready" : null,
        };
    }
}
