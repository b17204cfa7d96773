using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>The runtime stage's images: the .NET image of the family (ContainerFamily, CSDK1013) or ContainerBaseImage,
/// or for a GPU build the CUDA image (<see cref="CudaImagePolicy"/>) with the .NET runtime copied from
/// ContainerDotnetRuntimeImage (CSDK1001); and the floating-tag warning for every image (CSDK2003).</summary>
public static class BaseImageRules
{
    /// <summary>The tag suffix of the .NET images for a release the catalog does not know.</summary>
    public const string DefaultFamily = "noble-chiseled";

    private static readonly Regex FamilyPattern = new("^[a-z0-9]+(?:[.-][a-z0-9]+)*$", RegexOptions.CultureInvariant);

    /// <param name="Runtime">The runtime stage's base; null after an error.</param>
    /// <param name="DotnetRuntime">Where the .NET runtime is copied from (framework-dependent GPU builds); else null.</param>
    /// <param name="Gpu">The GPU facts behind a CUDA image; else null.</param>
    public sealed record RuntimeImages(ImageReference? Runtime, ImageReference? DotnetRuntime, GpuSelection? Gpu);

    /// <summary>The image properties as the project states them.</summary>
    public sealed record Requested(string? BaseImage, string? DotnetRuntimeImage, string? CudaVersion);

    /// <summary>The .NET repository the runtime stage (or the copied runtime) comes from.</summary>
    public static string RuntimeRepository(bool selfContained, bool isWebProject) =>
        selfContained ? "runtime-deps" : isWebProject ? "aspnet" : "runtime";

    /// <param name="value">ContainerFamily; empty: the release's default family (none for legacy releases).</param>
    public static Parsed<string> ParseFamily(string? value, DotnetRelease? release)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        string family = string.IsNullOrWhiteSpace(value) ? release?.DefaultFamily ?? DefaultFamily : value!.Trim();
        if ((family.Length > 0 || !string.IsNullOrEmpty(value)) && (!FamilyPattern.IsMatch(family) || family.Length > 64))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1013", ValueRules.Printable(family)));
        }

        return Parsed.Of(family, diagnostics);
    }

    /// <param name="requested">The project's image properties.</param>
    /// <param name="gpuPackage">The ORT GPU package of a GPU build; null: a CPU build.</param>
    /// <param name="selfContained">A self-contained app needs no .NET runtime copied in.</param>
    /// <param name="dotnetImage">The default .NET image of the family (runtime stage, or the copied runtime).</param>
    public static Parsed<RuntimeImages> ParseRuntime(
        Requested requested, PackageInput? gpuPackage, bool selfContained, string dotnetImage, BaseImageCatalog catalog)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        if (gpuPackage is null)
        {
            return Parsed.Of(new RuntimeImages(ImageProperty.Parse("ContainerBaseImage", requested.BaseImage, dotnetImage, diagnostics), null, null), diagnostics);
        }

        var cuda = CudaImagePolicy.Choose(gpuPackage.Id, gpuPackage.Version, requested.BaseImage, requested.CudaVersion, catalog).Into(diagnostics);
        var dotnetRuntime = selfContained ? null : ImageProperty.Parse("ContainerDotnetRuntimeImage", requested.DotnetRuntimeImage, dotnetImage, diagnostics);
        return Parsed.Of(new RuntimeImages(cuda.Image, dotnetRuntime, cuda.Gpu), diagnostics);
    }

    /// <summary>CSDK2003 for each image given by a tag rather than a digest, with the property that names it.</summary>
    public static List<ContainerDiagnostic> FloatingTagWarnings(IEnumerable<(ImageReference? Image, string Property)> images) =>
        images.Where(i => i.Image is { IsPinned: false })
            .Select(i => ContainerDiagnostic.Create("CSDK2003", i.Image!.NameAndTag, i.Property))
            .ToList();
}
