using System;
using System.Collections.Generic;
using System.Linq;
using ContainerSdk.OnnxRuntime;
using ContainerSdk.Restore;
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
        var packages = ProjectAssets.ReadResolvedPackages(ProjectAssetsFile);
        if (!packages.Any(p => p.Id.StartsWith(OnnxRuntimePackaging.Cpu, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var folders = (PackageFolders ?? "").Split(';').Select(f => f.Trim()).Where(f => f.Length > 0).ToList();
        foreach (var d in OnnxRuntimePackaging.Check(packages, RuntimeIdentifier, p => NativeRuntimes.Find(folders, p)))
        {
            Log.Log(d, ProjectPath);
        }

        return !Log.HasLoggedErrors;
    }
}
