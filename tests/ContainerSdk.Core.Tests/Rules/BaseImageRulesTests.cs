using ContainerSdk.Images;
using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class BaseImageRulesTests
{
    private const string Aspnet = "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled";

    [Theory]
    [InlineData(null, 10, "noble-chiseled", "")]
    [InlineData(null, 6, "jammy-chiseled", "")]
    [InlineData(null, 3, "", "")]
    [InlineData(null, 42, "noble-chiseled", "")]
    [InlineData(" alpine3.22 ", 10, "alpine3.22", "")]
    [InlineData("noble-chiseled-extra", 10, "noble-chiseled-extra", "")]
    [InlineData("Noble", 10, "Noble", "CSDK1013")]
    [InlineData("noble--chiseled", 10, "noble--chiseled", "CSDK1013")]
    [InlineData("noble;rm", 10, "noble;rm", "CSDK1013")]
    public void Family(string? value, int major, string expected, string codes)
    {
        var parsed = BaseImageRules.ParseFamily(value, BaseImageCatalog.Default.FindDotnet(major));
        parsed.Codes().ShouldBe(codes);
        parsed.Value.ShouldBe(expected);
    }

    [Theory]
    [InlineData(false, false, "runtime")]
    [InlineData(false, true, "aspnet")]
    [InlineData(true, true, "runtime-deps")]
    public void Runtime_repository(bool selfContained, bool web, string expected) =>
        BaseImageRules.RuntimeRepository(selfContained, web).ShouldBe(expected);

    [Theory]
    [InlineData(null, null, null, false, Aspnet, null, "")]
    [InlineData("registry.example/base:1", null, null, false, "registry.example/base:1", null, "")]
    [InlineData("Not An Image", null, null, false, null, null, "CSDK1001")]
    [InlineData(null, null, "1.31.0", false, "nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", Aspnet, "")]
    [InlineData(null, null, "1.31.0", true, "nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", null, "")]
    [InlineData(null, "registry.example/dotnet:10", "1.31.0", false, "nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", "registry.example/dotnet:10", "")]
    [InlineData(null, "Not An Image", "1.31.0", false, "nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", null, "CSDK1001")]
    [InlineData(null, null, "1.0.0", false, null, Aspnet, "CSDK2007")]
    public void Runtime_images(string? baseImage, string? dotnetRuntimeImage, string? ortVersion, bool selfContained, string? runtime, string? dotnetRuntime, string codes)
    {
        var gpuPackage = ortVersion is null ? null : new PackageInput("Microsoft.ML.OnnxRuntime.Gpu.Linux", ortVersion);
        var parsed = BaseImageRules.ParseRuntime(new(baseImage, dotnetRuntimeImage, CudaVersion: null), gpuPackage, selfContained, Aspnet, BaseImageCatalog.Default);
        parsed.Codes().ShouldBe(codes);
        (parsed.Value.Runtime?.ToString()).ShouldBe(runtime);
        (parsed.Value.DotnetRuntime?.ToString()).ShouldBe(dotnetRuntime);
        // The GPU facts come from the ORT version alone.
        (parsed.Value.Gpu is not null).ShouldBe(ortVersion is "1.31.0");
    }

    [Fact]
    public void Only_images_given_by_a_tag_float()
    {
        ImageReference.TryParse(Aspnet, out var tagged);
        ImageReference.TryParse("mcr.microsoft.com/dotnet/sdk:10.0@sha256:" + new string('a', 64), out var pinned);
        var warnings = BaseImageRules.FloatingTagWarnings([(pinned, "ContainerSdkImage"), (tagged, "ContainerBaseImage"), (null, "ContainerDotnetRuntimeImage")]);
        warnings.Select(w => w.Code).ShouldBe(["CSDK2003"]);
        warnings[0].Message.ShouldContain("ContainerBaseImage");
        warnings[0].IsError.ShouldBeFalse();
    }
}
