using System;
using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.OnnxRuntime;

namespace ContainerSdk.Model.Rules;

/// <summary>
/// libonnxruntime.so is built against glibc: on an Alpine (musl) base the app starts and then fails to load it.
/// The same CSDK4003 as a linux-musl build, read from what the resolved package really ships.
/// </summary>
public static class MuslRules
{
    private const string MuslRid = "linux-musl-x64";

    /// <param name="images">The runtime stage's images (nulls are skipped).</param>
    /// <param name="resolvedPackages">Packages as restore resolved them.</param>
    /// <param name="nativeRuntimeIdentifiers">Package id → the RIDs its native folders cover (missing: unknown).</param>
    public static List<ContainerDiagnostic> Check(
        IEnumerable<ImageReference?> images, IReadOnlyList<PackageInput> resolvedPackages,
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> nativeRuntimeIdentifiers)
    {
        if (!images.Any(i => i is not null && IsMusl(i)))
        {
            return [];
        }

        var found = OnnxRuntimePackaging.Check(resolvedPackages, MuslRid,
                p => nativeRuntimeIdentifiers.TryGetValue(p.Id, out var rids) ? rids : null)
            .Where(d => d.Code == "CSDK4003")
            .ToList();
        var native = OnnxRuntimePackaging.NativePackages
            .Select(id => resolvedPackages.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(p => p is not null);
        if (found.Count == 0 && native is not null && !nativeRuntimeIdentifiers.Keys.Any(k => string.Equals(k, native.Id, StringComparison.OrdinalIgnoreCase)))
        {
            // Not in the package folders (restore has not run): no ONNX Runtime package has ever shipped a musl build.
            found.Add(ContainerDiagnostic.Create("CSDK4003", native.Id, native.Version, MuslRid, "unknown, the package is not in the NuGet package folders"));
        }

        return found;
    }

    /// <summary>Alpine is the musl distribution .NET publishes images for (tags such as 10.0-alpine, alpine3.22).</summary>
    internal static bool IsMusl(ImageReference image)
    {
        var name = image.Repository.Substring(image.Repository.LastIndexOf('/') + 1);
        var tag = image.Tag ?? "";
        return name is "alpine" || tag.IndexOf("alpine", StringComparison.OrdinalIgnoreCase) >= 0 || tag.IndexOf("musl", StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
