using ContainerSdk.Images;

namespace ContainerSdk.Core.Tests;

public class CudaImagePolicyTests
{
    private const string Gpu = "Microsoft.ML.OnnxRuntime.Gpu.Linux";

    [Theory]
    [InlineData("1.31.0", null, null, "nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", 13, "")]
    [InlineData("1.31.0-dev.1", null, null, "nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", 13, "")]
    [InlineData("1.20.0", null, null, "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04", 12, "")]
    [InlineData("1.20.0", null, "12.6", "nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04", 12, "")]
    [InlineData("1.20.0", null, " 12 ", "nvidia/cuda:12.9.1-cudnn-runtime-ubuntu24.04", 12, "")]
    [InlineData("1.17.0", null, null, "nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04", 11, "")]
    [InlineData("1.31.0", null, "12.8", "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04", 13, "CSDK2005")]
    [InlineData("1.20.0", null, "12.2", "nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04", 12, "CSDK2005")]
    [InlineData("1.31.0", null, "14", null, 13, "CSDK1006")]
    [InlineData("1.31.0", null, "latest", null, 13, "CSDK1006")]
    [InlineData("1.31.0", "nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", "12.8", "nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", 13, "")]
    [InlineData("1.31.0", "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04", null, "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04", 13, "CSDK2005")]
    [InlineData("1.31.0", "nvidia/cuda:13.0.1-runtime-ubuntu24.04", null, "nvidia/cuda:13.0.1-runtime-ubuntu24.04", 13, "CSDK2009")]
    [InlineData("1.31.0", "registry.example/base:1", null, "registry.example/base:1", 13, "")]
    [InlineData("1.31.0", "Bad Image", null, null, 13, "CSDK1001")]
    [InlineData("1.16.0", "registry.example/base:1", null, "registry.example/base:1", null, "")]
    [InlineData("1.16.0", null, null, null, null, "CSDK2007")]
    [InlineData("not-a-version", null, null, null, null, "CSDK2007")]
    public void Choose(string version, string? baseImage, string? cudaVersion, string? image, int? cudaMajor, string codes)
    {
        var parsed = CudaImagePolicy.Choose(Gpu, version, baseImage, cudaVersion, BaseImageCatalog.Default);
        string.Join(",", parsed.Diagnostics.Select(d => d.Code)).ShouldBe(codes);
        parsed.Value.Image?.ToString().ShouldBe(image);
        (parsed.Value.Image is null).ShouldBe(image is null);
        parsed.Value.Gpu?.CudaMajor.ShouldBe(cudaMajor!.Value);
        (parsed.Value.Gpu is null).ShouldBe(cudaMajor is null);
    }

    [Fact]
    public void The_GPU_facts_name_the_package_and_the_libraries_it_loads()
    {
        var gpu = CudaImagePolicy.Choose(Gpu, "1.31.0", null, null, BaseImageCatalog.Default).Value.Gpu!;
        gpu.PackageId.ShouldBe(Gpu);
        gpu.PackageVersion.ShouldBe("1.31.0");
        gpu.CudnnMajor.ShouldBe(9);
        gpu.Sonames.ShouldContain("libcudart.so.13");
    }
}
