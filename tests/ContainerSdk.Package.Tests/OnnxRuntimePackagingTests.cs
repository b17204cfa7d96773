namespace ContainerSdk.Package.Tests;

/// <summary>ONNX Runtime packaging traps, through real builds of projects that reference the real ORT packages.</summary>
[Collection(PackageCollection.Name)]
public sealed class OnnxRuntimePackagingTests(PackageFixture package)
{

    [Fact]
    public void Cpu_and_gpu_packages_together_warn_with_both_names()
    {
        var project = TestProject.Create(package, package.NewWorkspace("ort-both"), "app", ReferenceMode.PackageReference,
            items: """<PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" /><PackageReference Include="Microsoft.ML.OnnxRuntime.Gpu.Linux" Version="1.31.0" />""");
        var result = project.Build("-r", "linux-x64");
        result.ShouldSucceed();
        result.WarningCodes.ShouldContain("CSDK4001");
        var warning = result.Warnings.First(w => w.Contains("CSDK4001"));
        warning.ShouldContain("Microsoft.ML.OnnxRuntime 1.31.1");
        warning.ShouldContain("Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0");
    }

    [Fact]
    public void Gpu_metapackage_on_linux_warns_to_use_gpu_linux()
    {
        var project = TestProject.Create(package, package.NewWorkspace("ort-meta"), "app", ReferenceMode.Sdk,
            items: """<PackageReference Include="Microsoft.ML.OnnxRuntime.Gpu" Version="1.31.0" />""");
        var result = project.Build("-t:GenerateDockerfile", "-r", "linux-x64");
        result.ShouldSucceed();
        result.WarningCodes.ShouldContain("CSDK4002");
        result.Warnings.First(w => w.Contains("CSDK4002")).ShouldContain("Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0");
    }

    [Theory]
    [InlineData("linux-musl-x64")]
    [InlineData("osx-x64")]
    public void A_runtime_identifier_without_native_onnxruntime_fails_before_the_image_is_built(string rid)
    {
        var project = TestProject.Create(package, package.NewWorkspace("ort-rid"), "app", ReferenceMode.PackageReference,
            items: """<PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />""");
        var result = project.Build("-r", rid);
        result.ExitCode.ShouldNotBe(0);
        result.ErrorCodes.ShouldContain("CSDK4003");
        var error = result.Errors.First(e => e.Contains("CSDK4003"));
        error.ShouldContain(rid);
        error.ShouldContain("linux-x64");
    }

    [Fact]
    public void Windows_native_libraries_are_not_published_for_linux_and_the_saving_is_measured()
    {
        var project = TestProject.Create(package, package.NewWorkspace("ort-win"), "app", ReferenceMode.PackageReference,
            items: """<PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />""");
        project.Publish("-r", "linux-x64", "--self-contained", "false", "-o", Path.Combine(project.Directory, "out-lean")).ShouldSucceed();
        project.Publish("-r", "linux-x64", "--self-contained", "false", "-o", Path.Combine(project.Directory, "out-kept"), "-p:ContainerSdkKeepWindowsNativeLibraries=true").ShouldSucceed();
        long Size(string dir) => System.IO.Directory.GetFiles(Path.Combine(project.Directory, dir), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        string[] Dlls(string dir) => System.IO.Directory.GetFiles(Path.Combine(project.Directory, dir), "onnxruntime*.dll");

        Dlls("out-kept").ShouldNotBeEmpty("ONNX Runtime's props copy its Windows DLLs into a Linux publish");
        Dlls("out-lean").ShouldBeEmpty();
        File.Exists(Path.Combine(project.Directory, "out-lean", "libonnxruntime.so")).ShouldBeTrue();
        var saved = Size("out-kept") - Size("out-lean");
        Console.WriteLine($"ONNX Runtime Windows libraries removed from a linux-x64 publish: {saved / 1048576.0:F1} MB ({Size("out-kept") / 1048576.0:F1} MB -> {Size("out-lean") / 1048576.0:F1} MB)");
        saved.ShouldBeGreaterThan(10L * 1024 * 1024);
    }
}
