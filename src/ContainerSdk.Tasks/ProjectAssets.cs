using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ContainerSdk.Model;

namespace ContainerSdk.Tasks;

/// <summary>What restore wrote to project.assets.json. In the tasks, not in Core: Core is netstandard2.0, without
/// System.Text.Json.</summary>
internal static class ProjectAssets
{
    /// <summary>The package folders restore used (the global packages folder first).</summary>
    internal static IReadOnlyList<string> ReadPackageFolders(string? assetsFile)
    {
        if (string.IsNullOrEmpty(assetsFile) || !File.Exists(assetsFile))
        {
            return [];
        }

        using var stream = File.OpenRead(assetsFile);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.TryGetProperty("packageFolders", out var folders) && folders.ValueKind == JsonValueKind.Object
            ? folders.EnumerateObject().Select(f => f.Name).ToList()
            : [];
    }

    /// <summary>The versions restore resolved (a floating or missing version resolves to something else).</summary>
    internal static IReadOnlyList<PackageInput> ReadResolvedPackages(string? assetsFile)
    {
        if (string.IsNullOrEmpty(assetsFile) || !File.Exists(assetsFile))
        {
            return [];
        }

        using var stream = File.OpenRead(assetsFile);
        using var document = JsonDocument.Parse(stream);
        if (!document.RootElement.TryGetProperty("libraries", out var libraries))
        {
            return [];
        }

        var packages = new List<PackageInput>();
        foreach (var library in libraries.EnumerateObject())
        {
            if (library.Value.TryGetProperty("type", out var type) && type.GetString() == "package")
            {
                var slash = library.Name.IndexOf('/');
                if (slash > 0)
                {
                    packages.Add(new PackageInput(library.Name.Substring(0, slash), library.Name.Substring(slash + 1)));
                }
            }
        }

        return packages;
    }
}
