using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Model;
using ContainerSdk.Model.Rules;
using ContainerSdk.Text;

namespace ContainerSdk.Images;

/// <summary>
/// The CUDA base image for an ONNX Runtime GPU package: the one onnxruntime-cuda.tsv and cuda-images.tsv name for the
/// version restore resolved, or the ContainerCudaVersion or ContainerBaseImage asked for, checked against the CUDA
/// and cuDNN majors that ORT version needs (CSDK1006, CSDK2005, CSDK2007, CSDK2009).
/// </summary>
public static class CudaImagePolicy
{
    /// <summary>The chosen image (null after an error) and the GPU facts (null when the ORT version is unknown).</summary>
    public sealed record Choice(ImageReference? Image, GpuSelection? Gpu);

    /// <param name="packageId">The ORT GPU package restore resolved.</param>
    /// <param name="packageVersion">Its version, as NuGet wrote it.</param>
    /// <param name="baseImage">ContainerBaseImage; empty: the catalog's choice.</param>
    /// <param name="cudaVersion">ContainerCudaVersion (13, 12.8, 12.8.1); empty: the ORT version's default.</param>
    /// <param name="catalog">The image data.</param>
    public static Parsed<Choice> Choose(string packageId, string packageVersion, string? baseImage, string? cudaVersion, BaseImageCatalog catalog)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        bool hasBaseImage = !string.IsNullOrWhiteSpace(baseImage);
        var ortVersion = BaseImageCatalog.ParseNuGetVersion(packageVersion);
        var requirement = ortVersion is null ? null : catalog.FindOnnxRuntime(ortVersion);
        if (requirement is null && hasBaseImage)
        {
            // Older than the table: nothing to check against, so the explicitly chosen image is taken as is.
            return Parsed.Of(new Choice(ImageProperty.Parse("ContainerBaseImage", baseImage, "", diagnostics), null), diagnostics);
        }

        if (requirement is null)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2007", packageId, ValueRules.Printable(packageVersion), catalog.OnnxRuntime[0].From));
            return Parsed.Of(new Choice(null, null), diagnostics);
        }

        var sonames = catalog.CudaSonames[requirement.CudaMajor].Concat(catalog.CudnnSonames[requirement.CudnnMajor]).ToList();
        var gpu = new GpuSelection(packageId, packageVersion, requirement.CudaMajor, requirement.CudnnMajor, sonames);
        var defaultImage = catalog.DefaultImage(requirement);

        if (hasBaseImage)
        {
            var image = ImageProperty.Parse("ContainerBaseImage", baseImage, "", diagnostics);
            if (image is not null && BaseImageCatalog.TryReadCudaTag(image, out var cuda, out var cudnn))
            {
                CheckCuda(image, cuda!.Major, cudnn, requirement, gpu, defaultImage, diagnostics);
            }

            return Parsed.Of(new Choice(image, gpu), diagnostics);
        }

        CudaImage chosen = defaultImage;
        if (!string.IsNullOrWhiteSpace(cudaVersion))
        {
            var requested = catalog.FindCuda(cudaVersion!.Trim());
            if (requested is null)
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1006", ValueRules.Printable(cudaVersion), catalog.KnownCudaVersions));
                return Parsed.Of(new Choice(null, gpu), diagnostics);
            }

            chosen = requested;
        }

        ImageReference.TryParse(chosen.Image, out var chosenImage);
        CheckCuda(chosenImage!, chosen.CudaVersion.Major, chosen.CudnnMajor, requirement, gpu, defaultImage, diagnostics);
        return Parsed.Of(new Choice(chosenImage, gpu), diagnostics);
    }

    /// <summary>The image's CUDA major (and cuDNN major, when its tag says) must be the ones ORT was built against.</summary>
    private static void CheckCuda(
        ImageReference image, int cudaMajor, int? cudnnMajor, OrtCudaRequirement requirement, GpuSelection gpu,
        CudaImage defaultImage, List<ContainerDiagnostic> diagnostics)
    {
        if (cudaMajor != requirement.CudaMajor || (cudnnMajor is not null && cudnnMajor != requirement.CudnnMajor))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2005", image.ToString(), cudaMajor + (cudnnMajor is null ? "" : " with cuDNN " + cudnnMajor),
                gpu.PackageId, gpu.PackageVersion, requirement.CudaMajor, requirement.CudnnMajor, string.Join(", ", gpu.Sonames), defaultImage.Image));
        }
        else if (cudnnMajor is null)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2009", image.ToString(), gpu.PackageId, gpu.PackageVersion, requirement.CudnnMajor, defaultImage.Image));
        }
    }
}
