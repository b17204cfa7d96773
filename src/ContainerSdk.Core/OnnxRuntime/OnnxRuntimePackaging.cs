using System;
using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Model;

namespace ContainerSdk.OnnxRuntime;

/// <summary>
/// The ONNX Runtime NuGet packaging traps that break GPU serving or bloat images, checked against the packages
/// restore resolved. Which RIDs a package really ships native libraries for is read from the package itself.
/// </summary>
public static class OnnxRuntimePackaging
{
    public const string Cpu = "Microsoft.ML.OnnxRuntime";
    public const string GpuMeta = "Microsoft.ML.OnnxRuntime.Gpu";
    public const string GpuLinux = "Microsoft.ML.OnnxRuntime.Gpu.Linux";
    public const string GpuWindows = "Microsoft.ML.OnnxRuntime.Gpu.Windows";

    /// <summary>Packages that carry libonnxruntime itself (the managed package and the metapackage do not).</summary>
    public static readonly string[] NativePackages = [Cpu, GpuLinux, GpuWindows, "Microsoft.ML.OnnxRuntime.DirectML", "Microsoft.ML.OnnxRuntime.QNN"];

    /// <param name="packages">Resolved packages (project.assets.json).</param>
    /// <param name="runtimeIdentifier">The build's RID, empty for a RID-less build.</param>
    /// <param name="nativeRids">The RIDs a package version has a runtimes/RID/native folder for (null: unknown).</param>
    public static List<ContainerDiagnostic> Check(
        IReadOnlyList<PackageInput> packages,
        string? runtimeIdentifier,
        Func<PackageInput, IReadOnlyCollection<string>?> nativeRids)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        PackageInput? Find(string id) => packages.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));
        var cpu = Find(Cpu);
        var gpu = Find(GpuLinux) ?? Find(GpuMeta);
        if (cpu is not null && gpu is not null)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK4001", cpu.Id, cpu.Version, gpu.Id, gpu.Version));
        }

        var meta = Find(GpuMeta);
        var rid = (runtimeIdentifier ?? "").Trim();
        if (meta is not null && (rid.Length == 0 || !rid.StartsWith("win", StringComparison.OrdinalIgnoreCase)))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK4002", meta.Version, rid.Length == 0 ? "a Linux image" : rid));
        }

        if (rid.Length > 0)
        {
            // Platform packages (Gpu.Linux, Gpu.Windows) each cover some RIDs; it is enough that one of them has this one.
            var natives = NativePackages.Select(Find).OfType<PackageInput>()
                .Select(p => (Package: p, Rids: nativeRids(p)))
                .Where(n => n.Rids is not null)
                .ToList();
            if (natives.Count > 0 && !natives.Any(n => n.Rids!.Contains(rid, StringComparer.OrdinalIgnoreCase)))
            {
                var first = natives[0];
                var all = natives.SelectMany(n => n.Rids!).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(r => r, StringComparer.Ordinal).ToList();
                diagnostics.Add(ContainerDiagnostic.Create("CSDK4003", first.Package.Id, first.Package.Version, rid,
                    all.Count == 0 ? "none" : string.Join(", ", all)));
            }
        }

        return diagnostics;
    }
}
