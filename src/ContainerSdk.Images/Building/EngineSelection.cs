using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images.Engines;

namespace ContainerSdk.Images.Building;

/// <summary>Finds the engine to build with: the one asked for, or the first of docker, podman, buildah whose probe
/// works (a docker CLI without a reachable daemon does not). No fallback from an engine named explicitly.</summary>
internal static class EngineSelection
{
    public static ContainerDiagnostic? TryFind(EngineProcess process, ContainerEngineKind? requested, CancellationToken cancel, out ContainerEngineKind kind, out string version)
    {
        var tried = new List<string>();
        foreach (ContainerEngineKind candidate in requested is { } one ? [one] : EngineCommands.AutoOrder)
        {
            string exe = EngineCommands.Executable(candidate);
            EngineResult probe = process.Run(exe, EngineCommands.Probe(candidate), onLine: null, cancel);
            if (probe.Succeeded)
            {
                kind = candidate;
                version = VersionOf(probe.Tail);
                return null;
            }

            tried.Add(probe.NotFound
                ? $"{exe}: not found on PATH"
                : $"{exe}: `{exe} {string.Join(" ", EngineCommands.Probe(candidate))}` {EngineResultText.Describe(probe)}: {string.Join(" / ", EngineProcess.LinesThatMatter(probe.Tail, 3))}");
        }

        kind = default;
        version = "";
        return ContainerDiagnostic.Create("CSDK5001", requested is null ? "auto" : EngineCommands.Executable(requested.Value), string.Join("; ", tried));
    }

    /// <summary>docker and podman print the bare version; buildah prints "Version: 1.28.2" among other lines.</summary>
    public static string VersionOf(IReadOnlyList<string> probeOutput)
    {
        string? labelled = probeOutput.FirstOrDefault(l => l.TrimStart().StartsWith("Version:", StringComparison.OrdinalIgnoreCase));
        return labelled is not null
            ? labelled.Trim().Substring("Version:".Length).Trim()
            : probeOutput.LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
    }
}
