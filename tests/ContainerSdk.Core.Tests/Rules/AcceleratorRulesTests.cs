using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class AcceleratorRulesTests
{
    [Theory]
    [InlineData(null, "", "auto", false, null, "")]
    [InlineData(null, "Microsoft.ML.OnnxRuntime.Gpu.Linux", "auto", true, "Microsoft.ML.OnnxRuntime.Gpu.Linux", "")]
    [InlineData(" AUTO ", "microsoft.ml.onnxruntime.gpu", "auto", true, "microsoft.ml.onnxruntime.gpu", "")]
    [InlineData("auto", "Microsoft.ML.OnnxRuntime.Gpu,Microsoft.ML.OnnxRuntime.Gpu.Linux", "auto", true, "Microsoft.ML.OnnxRuntime.Gpu.Linux", "")]
    [InlineData("auto", "Microsoft.ML.OnnxRuntime", "auto", false, null, "")]
    [InlineData("cpu", "Microsoft.ML.OnnxRuntime.Gpu.Linux", "cpu", false, "Microsoft.ML.OnnxRuntime.Gpu.Linux", "")]
    [InlineData("cuda", "Microsoft.ML.OnnxRuntime.Gpu.Linux", "cuda", true, "Microsoft.ML.OnnxRuntime.Gpu.Linux", "")]
    [InlineData("Cuda", "", "cuda", true, null, "CSDK2006")]
    [InlineData("gpu", "", "gpu", false, null, "CSDK1005")]
    public void Accelerator(string? value, string packages, string accelerator, bool isGpu, string? gpuPackage, string codes)
    {
        var resolved = packages.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => new PackageInput(id, "1.31.0")).ToList();
        var parsed = AcceleratorRules.Parse(value, resolved);
        parsed.Codes().ShouldBe(codes);
        parsed.Value.Accelerator.ShouldBe(accelerator);
        parsed.Value.IsGpu.ShouldBe(isGpu);
        parsed.Value.GpuPackage?.Id.ShouldBe(gpuPackage);
        (parsed.Value.GpuPackage is null).ShouldBe(gpuPackage is null);
    }
}
