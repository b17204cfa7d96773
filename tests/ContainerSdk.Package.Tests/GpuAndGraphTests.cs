using ContainerSdk.Images;
using ContainerSdk.Parsing;

namespace ContainerSdk.Package.Tests;

[Collection(PackageCollection.Name)]
public sealed class GpuAndGraphTests(PackageFixture package)
{
    private const string GpuPackage = "Microsoft.ML.OnnxRuntime.Gpu.Linux";


    [Fact]
    public void Gpu_package_gets_the_cuda_13_cudnn_runtime_base_whose_libraries_the_provider_needs()
    {
        var project = TestProject.Create(package, package.NewWorkspace("gpu"), "gpuapp", ReferenceMode.PackageReference,
            items: $"""<PackageReference Include="{GpuPackage}" Version="1.31.0" />""");
        var result = project.Publish("-r", "linux-x64");
        result.ShouldSucceed();
        var parsed = DockerfileParser.Parse(project.ReadDockerfile());
        var final = parsed.Last(i => i.Keyword == "FROM").Arguments;
        final.ShouldBe("nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04");
        parsed.ShouldContain(i => i.Keyword == "FROM" && i.Arguments == "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS dotnet-runtime");
        parsed.ShouldContain(i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=dotnet-runtime", StringComparison.Ordinal));
        var env = parsed.Where(i => i.Keyword == "ENV").SelectMany(i => DockerfileParser.ParseKeyValues(i.Arguments)!).ToDictionary(k => k.Key, k => k.Value);
        env["NVIDIA_VISIBLE_DEVICES"].ShouldBe("all");
        env["NVIDIA_DRIVER_CAPABILITIES"].ShouldBe("compute,utility");
        parsed.Single(i => i.Keyword == "USER").Arguments.ShouldBe("1654:1654");
        parsed.Single(i => i.Keyword == "ENTRYPOINT").Arguments.ShouldBe("[\"/usr/share/dotnet/dotnet\", \"/app/gpuapp.dll\"]");

        // The CUDA provider library as restore resolved it: every CUDA library it links must be one the chosen
        // image's CUDA major provides (readelf -d NEEDED), and the CUDA major of its sonames must match the tag.
        var provider = Path.Combine(project.Directory, "bin", "Release", "net10.0", "linux-x64", "publish", "libonnxruntime_providers_cuda.so");
        File.Exists(provider).ShouldBeTrue(provider);
        var needed = ElfReader.Needed(provider);
        needed.ShouldContain("libcudart.so.13");
        needed.ShouldContain("libcublas.so.13");
        ImageReference.TryParse(final, out var image).ShouldBeTrue();
        BaseImageCatalog.TryReadCudaTag(image!, out var cuda, out var cudnn).ShouldBeTrue();
        var provided = BaseImageCatalog.Default.CudaSonames[cuda!.Major].Concat(BaseImageCatalog.Default.CudnnSonames[cudnn!.Value]).ToHashSet();
        var cudaLibraries = needed.Where(n => n.StartsWith("libcu", StringComparison.Ordinal)).ToList();
        cudaLibraries.ShouldNotBeEmpty();
        cudaLibraries.Where(n => n != "libcuda.so.1").ShouldAllBe(n => provided.Contains(n), "libcuda.so.1 comes from the host driver via the NVIDIA toolkit");
    }

    [Fact]
    public void Resolved_onnxruntime_version_is_used_not_the_declared_range()
    {
        var project = TestProject.Create(package, package.NewWorkspace("floating"), "gpuapp", ReferenceMode.PackageReference,
            items: $"""<PackageReference Include="{GpuPackage}" Version="[1.30.0,1.31.0)" />""");
        project.Build("-t:GenerateDockerfile").ShouldSucceed();
        project.ReadDockerfile().ShouldContain($"# {GpuPackage} 1.30.0 needs CUDA 13 + cuDNN 9");
    }

    [Fact]
    public void A_cuda_version_that_cannot_load_onnxruntime_fails_the_build()
    {
        var project = TestProject.Create(package, package.NewWorkspace("badcuda"), "gpuapp", ReferenceMode.Sdk,
            items: $"""<PackageReference Include="{GpuPackage}" Version="1.31.0" />""");
        var cuda12 = project.Build("-t:GenerateDockerfile", "-p:ContainerCudaVersion=12.8");
        cuda12.ExitCode.ShouldNotBe(0);
        cuda12.ErrorCodes.ShouldBe(["CSDK2005"]);
        cuda12.Errors.Single().ShouldContain("libcublasLt.so.13");
        File.Exists(project.Dockerfile).ShouldBeFalse();

        var image = project.Build("-t:GenerateDockerfile", "-p:ContainerBaseImage=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04");
        image.ErrorCodes.ShouldBe(["CSDK2005"]);
        var accelerator = project.Build("-t:GenerateDockerfile", "-p:ContainerAccelerator=tpu");
        accelerator.ErrorCodes.ShouldBe(["CSDK1005"]);

        project.Build("-t:GenerateDockerfile", "-p:ContainerAccelerator=cpu").ShouldSucceed();
        DockerfileParser.Parse(project.ReadDockerfile()).Last(i => i.Keyword == "FROM").Arguments.ShouldBe("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled");
    }

    [Fact]
    public void Restore_layer_copies_exactly_the_restore_inputs_of_the_project_graph()
    {
        var root = package.NewWorkspace("graph", withGit: true);
        File.WriteAllText(Path.Combine(root, "global.json"), """{ "sdk": { "rollForward": "latestMajor", "version": "10.0.100" } }""");
        Directory.CreateDirectory(Path.Combine(root, "eng"));
        File.WriteAllText(Path.Combine(root, "eng", "Versions.props"), "<Project><PropertyGroup><Company>Example</Company></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(root, "eng", "Unused.props"), "<Project />");
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), """<Project><Import Project="eng/Versions.props" /></Project>""");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), $"""
            <Project>
              <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup><PackageVersion Include="ContainerSdk" Version="{package.Version}" /></ItemGroup>
            </Project>
            """);
        var lib = TestProject.Create(package, root, "Lib", web: false, subfolder: "src", properties: "<OutputType>Library</OutputType>");
        File.WriteAllText(Path.Combine(lib.Directory, "Program.cs"), "namespace Lib; public static class Greeter { public static string Hi => \"hi\"; }\n");
        var core = TestProject.Create(package, root, "Core", web: false, subfolder: "src", properties: "<OutputType>Library</OutputType>",
            items: """<ProjectReference Include="../Lib/Lib.csproj" />""");
        File.WriteAllText(Path.Combine(core.Directory, "Program.cs"), "namespace Core; public static class C { }\n");
        File.WriteAllText(Path.Combine(root, "src", "Unrelated.csproj.txt"), "not a restore input");
        var app = TestProject.Create(package, root, "App", ReferenceMode.Sdk, subfolder: "src",
            items: """<ProjectReference Include="../Core/Core.csproj" />""");

        var result = app.Publish();
        result.ShouldSucceed();
        var parsed = DockerfileParser.Parse(app.ReadDockerfile());
        var restoreCopies = parsed.TakeWhile(i => !(i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore")))
            .Where(i => i.Keyword == "COPY")
            .SelectMany(i => DockerfileParser.ParseJsonArray(i.Arguments)!.SkipLast(1))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        restoreCopies.ShouldBe(new[]
        {
            "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config",
            "eng/Versions.props", "global.json", "src/App/App.csproj", "src/Core/Core.csproj", "src/Lib/Lib.csproj",
        }.OrderBy(p => p, StringComparer.Ordinal));
        File.Exists(app.Dockerfile + ".dockerignore").ShouldBeTrue("the ignore file sits beside its Dockerfile");
        File.Exists(Path.Combine(root, ".dockerignore")).ShouldBeFalse("the repository's own root ignore file is never written");
        parsed.Single(i => i.Arguments.Contains("dotnet restore")).Arguments.ShouldContain("\"src/App/App.csproj\"");
    }

    [Fact]
    public void Cached_restore_inputs_follow_new_and_changed_files()
    {
        var root = package.NewWorkspace("cache", withGit: true);
        var app = TestProject.Create(package, root, "App", ReferenceMode.PackageReference, subfolder: "src");
        string[] RestoreCopies() => DockerfileParser.Parse(app.ReadDockerfile())
            .TakeWhile(i => !(i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore")))
            .Where(i => i.Keyword == "COPY")
            .SelectMany(i => DockerfileParser.ParseJsonArray(i.Arguments)!.SkipLast(1))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();

        app.Build("-t:GenerateDockerfile").ShouldSucceed();
        RestoreCopies().ShouldBe(["NuGet.config", "src/App/App.csproj"]);

        // A new Directory.Build.props changes no existing file, yet MSBuild now imports it.
        File.WriteAllText(Path.Combine(root, "src", "Directory.Build.props"), "<Project />");
        app.Build("-t:GenerateDockerfile").ShouldSucceed();
        RestoreCopies().ShouldBe(["NuGet.config", "src/App/App.csproj", "src/Directory.Build.props"]);

        // An edit to an imported file that adds an import.
        File.WriteAllText(Path.Combine(root, "shared.props"), "<Project />");
        File.WriteAllText(Path.Combine(root, "src", "Directory.Build.props"), "<Project><Import Project=\"../shared.props\" /></Project>");
        app.Build("-t:GenerateDockerfile").ShouldSucceed();
        RestoreCopies().ShouldBe(["NuGet.config", "shared.props", "src/App/App.csproj", "src/Directory.Build.props"]);

        // Unchanged: answered from the cache, same result.
        var again = app.Build("-t:GenerateDockerfile", "-v:d");
        again.ShouldSucceed();
        again.Output.ShouldContain("restore inputs from cache");
        RestoreCopies().ShouldBe(["NuGet.config", "shared.props", "src/App/App.csproj", "src/Directory.Build.props"]);
    }
}
