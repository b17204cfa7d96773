using ContainerSdk.Parsing;

namespace ContainerSdk.Package.Tests;

/// <summary>
/// Model bindings through the packed package: a project that ships many models (written by
/// Models/make_models.py with Debian's python3-onnx) builds with zero errors under warnings-as-errors, and every
/// binding's Run matches ONNX Runtime's raw API on the same inputs, run for real.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ModelBindingTests(PackageFixture package)
{
    private const string OrtVersion = "1.31.1";

    private TestProject CreateProject(string name, string extraItems = "", string extraProperties = "")
    {
        var project = TestProject.Create(package, package.NewWorkspace(name, withGit: true), "Bindings", ReferenceMode.PackageReference, web: false,
            properties: $"""
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <WarningsNotAsErrors>CSDK6010</WarningsNotAsErrors>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
                <NoWarn>$(NoWarn);CS1591</NoWarn>
                <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                <SelfContained>false</SelfContained>
                {extraProperties}
                """,
            items: $"""
                <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="{OrtVersion}" />
                <ContainerModel Include="models/*.onnx" />
                <Content Include="models/**" CopyToOutputDirectory="PreserveNewest" />
                {extraItems}
                """);
        MakeModels(Path.Combine(project.Directory, "models"));
        return project;
    }

    internal static void MakeModels(string directory) => TestScripts.Python("make_models.py", directory);

    [Fact]
    public void Every_binding_builds_warning_free_and_matches_the_raw_ORT_API()
    {
        var project = CreateProject("bindings-run");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Models", "BindingProgram.cs.txt"), Path.Combine(project.Directory, "Program.cs"), overwrite: true);

        var build = project.Build();
        build.ShouldSucceed();
        build.ErrorCodes.ShouldBeEmpty();
        // The one model the binding cannot type (a sequence input) is a warning, never an error, and still ships.
        build.WarningCodes.Distinct().ShouldBe(["CSDK6010"]);
        build.Warnings.ShouldContain(w => w.Contains("sequence_input.onnx") && w.Contains("'items' is a sequence"));

        var run = Dotnet.Run(project.Directory, "bin/Debug/net10.0/linux-x64/Bindings.dll");
        run.Output.ShouldContain("ALL OK", customMessage: run.Output);
        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.Split('\n').Count(l => l.StartsWith("OK ", StringComparison.Ordinal)).ShouldBeGreaterThan(30);
    }

    [Fact]
    public void ONNX_backend_test_models_match_their_reference_outputs_through_their_bindings()
    {
        // Models nobody here wrote: every 20th node test of Debian's libonnx-testdata with its reference data.
        var project = TestProject.Create(package, package.NewWorkspace("bindings-backend", withGit: true), "Backend", ReferenceMode.Sdk, web: false,
            properties: "<Nullable>enable</Nullable><RuntimeIdentifier>linux-x64</RuntimeIdentifier><SelfContained>false</SelfContained><TreatWarningsAsErrors>true</TreatWarningsAsErrors>",
            items: $"""
                <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="{OrtVersion}" />
                <ContainerModel Include="models/*.onnx" />
                <Content Include="models/**;data/**" CopyToOutputDirectory="PreserveNewest" />
                """);
        int.Parse(TestScripts.Python("export_backend_tests.py", project.Directory, "20").Trim()).ShouldBeGreaterThan(30);

        File.Copy(Path.Combine(AppContext.BaseDirectory, "Models", "BackendProgram.cs.txt"), Path.Combine(project.Directory, "Program.cs"), overwrite: true);
        project.Build().ShouldSucceed();
        var run = Dotnet.Run(project.Directory, "bin/Debug/net10.0/linux-x64/Backend.dll");
        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldNotContain("MISMATCH");
        run.Output.ShouldNotContain("NO-BINDING");
        run.Output.Split('\n').Count(l => l.StartsWith("OK ", StringComparison.Ordinal)).ShouldBeGreaterThan(30, run.Output);
    }

    [Fact]
    public void A_no_op_build_reads_no_model_and_an_edited_model_is_read_again()
    {
        var project = CreateProject("bindings-incremental");
        project.Build().ShouldSucceed();
        var signatures = Path.Combine(project.Directory, "obj/Debug/net10.0/linux-x64/containersdk/models");
        Directory.GetFiles(signatures, "*.signature").Length.ShouldBe(8);
        var mlp = Path.Combine(signatures, "models_mlp.onnx.signature");
        var first = File.GetLastWriteTimeUtc(mlp);

        var again = project.Build("-v:d");
        again.ShouldSucceed();
        again.Output.ShouldContain("Skipping target \"_ContainerSdkReadModelSignatures\" because all output files are up-to-date");
        File.GetLastWriteTimeUtc(mlp).ShouldBe(first);

        File.SetLastWriteTimeUtc(Path.Combine(project.Directory, "models", "mlp.onnx"), DateTime.UtcNow.AddSeconds(5));
        var edited = project.Build("-v:d");
        edited.ShouldSucceed();
        edited.Output.ShouldNotContain("Skipping target \"_ContainerSdkReadModelSignatures\" because all output files are up-to-date");
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("lfs-pointer")]
    public void A_model_that_is_not_onnx_is_CSDK4010_naming_the_file_and_leaves_no_signature(string kind)
    {
        var project = CreateProject("bindings-bad-" + kind);
        var mlp = Path.Combine(project.Directory, "models", "mlp.onnx");
        project.Build().ShouldSucceed();
        if (kind == "truncated")
        {
            var bytes = File.ReadAllBytes(mlp);
            File.WriteAllBytes(mlp, bytes[..(bytes.Length / 2)]);
        }
        else
        {
            File.WriteAllText(mlp, "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 2924\n");
        }

        var build = project.Build();
        build.ExitCode.ShouldNotBe(0);
        build.ErrorCodes.ShouldContain("CSDK4010");
        build.Errors.ShouldContain(e => e.Contains("CSDK4010") && e.Contains("models/mlp.onnx"));
        build.Output.ShouldNotContain("Unhandled exception");
        File.Exists(Path.Combine(project.Directory, "obj/Debug/net10.0/linux-x64/containersdk/models/models_mlp.onnx.signature")).ShouldBeFalse();
    }

    [Fact]
    public void Missing_external_data_is_CSDK4011_naming_the_file()
    {
        var project = CreateProject("bindings-external-missing");
        File.Delete(Path.Combine(project.Directory, "models", "external.onnx.data"));
        var build = project.Build();
        build.ExitCode.ShouldNotBe(0);
        build.Errors.ShouldContain(e => e.Contains("CSDK4011") && e.Contains("models/external.onnx") && e.Contains("'external.onnx.data'"));
    }

    [Fact]
    public void External_data_goes_into_the_image_in_the_model_layer_and_out_of_the_app_layer()
    {
        var project = CreateProject("bindings-dockerfile");
        project.Build("-t:GenerateDockerfile").ShouldSucceed();
        var parsed = DockerfileParser.Parse(project.ReadDockerfile()).ToList();
        var copies = parsed.Where(i => i.Keyword == "COPY" && i.Arguments.StartsWith("--chmod=0444", StringComparison.Ordinal))
            .Select(i => DockerfileParser.ParseJsonArray(DockerfileParser.SplitFlags(i.Arguments).Remainder))
            .ToList();
        copies.ShouldContain(c => c != null && c.SequenceEqual(new[] { "Bindings/models/external.onnx", "Bindings/models/external.onnx.data", "/app/models/" }));
        copies.Count.ShouldBe(8, "one layer per model, external data included in its model's");

        var outDir = Path.Combine(project.Directory, "out");
        project.Publish("-o", outDir, "-p:ContainerSdkExcludeModels=true", "-p:GenerateDockerfile=false").ShouldSucceed();
        File.Exists(Path.Combine(outDir, "models", "external.onnx.data")).ShouldBeFalse("the model layer carries it");
        File.Exists(Path.Combine(outDir, "models", "external.onnx")).ShouldBeFalse();
        File.Exists(Path.Combine(outDir, "Bindings.dll")).ShouldBeTrue();
    }

    [Fact]
    public void Bindings_can_be_turned_off_and_renamed_per_model()
    {
        var project = CreateProject("bindings-metadata",
            extraItems: """<ContainerModel Update="models/mlp.onnx" ClassName="Scorer" Namespace="Team.Ml" /><ContainerModel Update="models/sequence_input.onnx" GenerateBinding="false" />""");
        File.WriteAllText(Path.Combine(project.Directory, "Program.cs"), """
            using var scorer = Team.Ml.Scorer.Load();
            System.Console.WriteLine(string.Join(",", Team.Ml.Scorer.InputNames) + " " + scorer.ExecutionProvider + " " + Bindings.ScalarAddModel.Opset);
            """);
        var build = project.Build();
        build.ShouldSucceed();
        build.WarningCodes.ShouldBeEmpty("GenerateBinding=false silences CSDK6010");
        var run = Dotnet.Run(project.Directory, "bin/Debug/net10.0/linux-x64/Bindings.dll");
        run.Output.Trim().ShouldBe("features CPUExecutionProvider 17");

        var off = project.Build("-p:ContainerModelBindings=false");
        off.ExitCode.ShouldNotBe(0, "with bindings off the program cannot compile");
        off.Errors.ShouldContain(e => e.Contains("'Team'"));
    }
}
