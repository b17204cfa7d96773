using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ContainerSdk.Model;
using ContainerSdk.OnnxRuntime;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>Thin adapter for <see cref="OnnxRuntimePackaging"/>: resolved packages and their runtimes/ folders in.</summary>
public sealed class CheckOnnxRuntimePackaging : Microsoft.Build.Utilities.Task
{
    public string? ProjectAssetsFile { get; set; }

    public string? RuntimeIdentifier { get; set; }

    /// <summary>NuGet package folders (the global packages folder first), as in $(NuGetPackageFolders).</summary>
    public string? PackageFolders { get; set; }

    public string ProjectPath { get; set; } = "";

    public override bool Execute()
    {
        var packages = GenerateDockerfile.ReadResolvedPackages(ProjectAssetsFile);
        if (!packages.Any(p => p.Id.StartsWith(OnnxRuntimePackaging.Cpu, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var folders = (PackageFolders ?? "").Split(';').Select(f => f.Trim()).Where(f => f.Length > 0).ToList();
        foreach (var d in OnnxRuntimePackaging.Check(packages, RuntimeIdentifier, p => NativeRids(folders, p)))
        {
            Log.Log(d, ProjectPath);
        }

        return !Log.HasLoggedErrors;
    }

    internal static IReadOnlyCollection<string>? NativeRids(IEnumerable<string> folders, PackageInput package)
    {
        foreach (var folder in folders)
        {
            var runtimes = Path.Combine(folder, package.Id.ToLowerInvariant(), package.Version.ToLowerInvariant(), "runtimes");
            if (Directory.Exists(runtimes))
            {
                return Directory.GetDirectories(runtimes)
                    .Where(d => Directory.Exists(Path.Combine(d, "native")) && Directory.EnumerateFiles(Path.Combine(d, "native")).Any())
                    .Select(Path.GetFileName)
                    .OfType<string>()
                    .ToList();
            }
        }

        return null;
    }
}
