using ContainerSdk.Images;

namespace ContainerSdk.Core.Tests;

public class BaseImageCatalogTests
{
    private static readonly BaseImageCatalog Catalog = BaseImageCatalog.Default;

    [Theory]
    [InlineData("1.17.0", 11, 8)]
    [InlineData("1.17.3", 11, 8)]
    [InlineData("1.18.0", 11, 8)]
    [InlineData("1.18.1", 12, 9)]
    [InlineData("1.19.2", 12, 9)]
    [InlineData("1.20.1", 12, 9)]
    [InlineData("1.26.0", 12, 9)]
    [InlineData("1.27.0", 13, 9)]
    [InlineData("1.31.0", 13, 9)]
    [InlineData("1.31.1", 13, 9)]
    [InlineData("1.40.0-dev.20271201", 13, 9)]
    public void Maps_onnxruntime_versions_to_cuda_and_cudnn(string ort, int cuda, int cudnn)
    {
        var requirement = Catalog.FindOnnxRuntime(BaseImageCatalog.ParseNuGetVersion(ort)!);
        requirement.ShouldNotBeNull();
        requirement.CudaMajor.ShouldBe(cuda);
        requirement.CudnnMajor.ShouldBe(cudnn);
        var image = Catalog.DefaultImage(requirement);
        image.CudaVersion.Major.ShouldBe(cuda);
        image.CudnnMajor.ShouldBe(cudnn);
        ImageReference.TryParse(image.Image, out var reference).ShouldBeTrue();
        BaseImageCatalog.TryReadCudaTag(reference!, out var tagCuda, out var tagCudnn).ShouldBeTrue();
        tagCuda!.Major.ShouldBe(cuda);
        tagCudnn.ShouldBe(cudnn);
    }

    [Fact]
    public void Onnxruntime_131_gets_cuda_13_cudnn_runtime_on_ubuntu_2404()
    {
        var requirement = Catalog.FindOnnxRuntime(new Version(1, 31, 0))!;
        Catalog.DefaultImage(requirement).Image.ShouldBe("nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04");
        Catalog.CudaSonames[13].ShouldContain("libcudart.so.13");
        Catalog.CudaSonames[13].ShouldContain("libcublasLt.so.13");
        Catalog.CudnnSonames[9].ShouldBe(["libcudnn.so.9"]);
    }

    [Fact]
    public void Versions_older_than_the_table_are_unknown() =>
        Catalog.FindOnnxRuntime(new Version(1, 16, 3)).ShouldBeNull();

    [Fact]
    public void Table_rows_are_contiguous_and_every_default_cuda_has_an_image()
    {
        for (int i = 0; i < Catalog.OnnxRuntime.Count; i++)
        {
            var row = Catalog.OnnxRuntime[i];
            Catalog.FindCuda(row.DefaultCudaVersion).ShouldNotBeNull();
            Catalog.CudaSonames.ShouldContainKey(row.CudaMajor);
            Catalog.CudnnSonames.ShouldContainKey(row.CudnnMajor);
            if (i > 0)
            {
                row.From.ShouldBeGreaterThan(Catalog.OnnxRuntime[i - 1].To!);
            }
        }

        Catalog.OnnxRuntime[^1].To.ShouldBeNull();
    }

    [Theory]
    [InlineData("13", "13.0.1")]
    [InlineData("12", "12.9.1")]
    [InlineData("12.8", "12.8.1")]
    [InlineData("12.4.1", "12.4.1")]
    [InlineData("11.8", "11.8.0")]
    public void Finds_cuda_images_by_prefix(string requested, string expected) =>
        Catalog.FindCuda(requested)!.CudaVersion.ToString().ShouldBe(expected);

    [Theory]
    [InlineData("14")]
    [InlineData("12.5")]
    [InlineData("abc")]
    [InlineData("12.8.1.0")]
    [InlineData("")]
    [InlineData("12..1")]
    public void Unknown_cuda_versions_are_null(string requested) => Catalog.FindCuda(requested).ShouldBeNull();

    [Theory]
    [InlineData("nvidia/cuda:12.3.2-cudnn9-runtime-ubuntu22.04", "12.3.2", 9)]
    [InlineData("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04", "11.8.0", 8)]
    [InlineData("nvidia/cuda:12.8.1-runtime-ubuntu24.04", "12.8.1", null)]
    [InlineData("docker.io/nvidia/cuda:13.0.1-cudnn-devel-ubuntu24.04", "13.0.1", 9)]
    public void Reads_cuda_tags(string text, string cuda, int? cudnn)
    {
        ImageReference.TryParse(text, out var image).ShouldBeTrue();
        BaseImageCatalog.TryReadCudaTag(image!, out var version, out var cudnnMajor).ShouldBeTrue();
        version!.ToString().ShouldBe(cuda);
        cudnnMajor.ShouldBe(cudnn);
    }
}
