using System;
using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>ContainerAccelerator and the ONNX Runtime GPU package restore resolved: whether the image is a CUDA
/// image (CSDK1005, CSDK2006).</summary>
public static class AcceleratorRules
{
    /// <summary>The packages that make <c>auto</c> a CUDA image, in order of preference.</summary>
    public static readonly string[] GpuPackages = ["Microsoft.ML.OnnxRuntime.Gpu.Linux", "Microsoft.ML.OnnxRuntime.Gpu"];

    /// <param name="Accelerator">auto, cpu or cuda (lower case), or the invalid value as given.</param>
    /// <param name="GpuPackage">The first of <see cref="GpuPackages"/> that restore resolved, if any.</param>
    /// <param name="IsGpu">The runtime stage is a CUDA image.</param>
    public sealed record Choice(string Accelerator, PackageInput? GpuPackage, bool IsGpu);

    public static Parsed<Choice> Parse(string? value, IReadOnlyList<PackageInput> resolvedPackages)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var accelerator = (value ?? "").Trim().ToLowerInvariant();
        if (accelerator.Length == 0)
        {
            accelerator = ContainerDefaults.Accelerator;
        }

        if (accelerator is not ("auto" or "cpu" or "cuda"))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1005", ValueRules.Printable(value!)));
        }

        var gpuPackage = GpuPackages
            .Select(id => resolvedPackages.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(p => p is not null);
        bool isGpu = accelerator == "cuda" || (accelerator == "auto" && gpuPackage is not null);
        if (accelerator == "cuda" && gpuPackage is null)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2006"));
        }

        return Parsed.Of(new Choice(accelerator, gpuPackage, isGpu), diagnostics);
    }
}
