using ContainerSdk.Model;
using ContainerSdk.OnnxRuntime;

namespace ContainerSdk.Core.Tests;

public class OnnxRuntimePackagingTests
{
    private static readonly string[] CpuRids = ["android", "ios", "linux-arm64", "linux-x64", "osx-arm64", "win-arm64", "win-x64"];

    private static IReadOnlyCollection<string>? Rids(PackageInput p) => p.Id switch
    {
        OnnxRuntimePackaging.GpuLinux => ["linux-x64"],
        OnnxRuntimePackaging.GpuWindows => ["win-x64"],
        _ => CpuRids,
    };

    private static List<string> Codes(string? rid, params (string Id, string Version)[] packages) =>
        OnnxRuntimePackaging.Check(packages.Select(p => new PackageInput(p.Id, p.Version)).ToList(), rid, Rids).Select(d => d.Code).ToList();

    [Fact]
    public void Clean_references_have_no_findings()
    {
        Codes("linux-x64", ("Microsoft.ML.OnnxRuntime", "1.31.1"), ("Microsoft.ML.OnnxRuntime.Managed", "1.31.1")).ShouldBeEmpty();
        Codes("linux-x64", ("Microsoft.ML.OnnxRuntime.Gpu.Linux", "1.31.0")).ShouldBeEmpty();
        Codes(null, ("Microsoft.ML.OnnxRuntime", "1.31.1")).ShouldBeEmpty();
    }

    [Fact]
    public void Cpu_and_gpu_together_warn() =>
        Codes("linux-x64", ("Microsoft.ML.OnnxRuntime", "1.31.1"), ("Microsoft.ML.OnnxRuntime.Gpu.Linux", "1.31.0")).ShouldBe(["CSDK4001"]);

    [Theory]
    [InlineData("linux-x64")]
    [InlineData(null)]
    public void Gpu_metapackage_outside_windows_warns(string? rid) =>
        Codes(rid, ("Microsoft.ML.OnnxRuntime.Gpu", "1.31.0"), ("Microsoft.ML.OnnxRuntime.Gpu.Linux", "1.31.0")).ShouldBe(["CSDK4002"]);

    [Fact]
    public void Platform_packages_together_cover_each_others_runtime_identifiers()
    {
        Codes("linux-x64", ("Microsoft.ML.OnnxRuntime.Gpu.Linux", "1.31.0"), ("Microsoft.ML.OnnxRuntime.Gpu.Windows", "1.31.0")).ShouldBeEmpty();
        Codes("linux-arm64", ("Microsoft.ML.OnnxRuntime.Gpu.Linux", "1.31.0"), ("Microsoft.ML.OnnxRuntime.Gpu.Windows", "1.31.0")).ShouldBe(["CSDK4003"]);
    }

    [Fact]
    public void Gpu_metapackage_on_windows_is_fine() =>
        Codes("win-x64", ("Microsoft.ML.OnnxRuntime.Gpu", "1.31.0")).ShouldBeEmpty();

    [Theory]
    [InlineData("linux-musl-x64", "Microsoft.ML.OnnxRuntime")]
    [InlineData("osx-x64", "Microsoft.ML.OnnxRuntime")]
    [InlineData("linux-arm64", "Microsoft.ML.OnnxRuntime.Gpu.Linux")]
    public void Runtime_identifiers_without_a_native_library_are_errors(string rid, string id)
    {
        var diagnostics = OnnxRuntimePackaging.Check([new PackageInput(id, "1.31.0")], rid, Rids);
        var error = diagnostics.Single();
        error.Code.ShouldBe("CSDK4003");
        error.IsError.ShouldBeTrue();
        error.Message.ShouldContain(rid);
    }

    [Fact]
    public void Unknown_package_contents_are_not_guessed() =>
        OnnxRuntimePackaging.Check([new PackageInput("Microsoft.ML.OnnxRuntime", "1.31.1")], "linux-musl-x64", _ => null).ShouldBeEmpty();
}
