using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ContainerSdk.Model;

namespace ContainerSdk.Restore;

/// <summary>What the packages restore resolved ship in the NuGet package folders: the RIDs with native libraries.</summary>
public static class NativeRuntimes
{
    /// <summary>The RIDs a package version has a non-empty runtimes/RID/native folder for, in the first package folder
    /// that holds it; null when none does (unknown).</summary>
    public static IReadOnlyCollection<string>? Find(IEnumerable<string> folders, PackageInput package)
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

    /// <summary><see cref="Find"/> of every resolved package whose id is one of <paramref name="ids"/>, by id;
    /// a package in no folder is left out.</summary>
    public static Dictionary<string, IReadOnlyCollection<string>> FindAll(IEnumerable<string> folders, IEnumerable<PackageInput> resolved, IReadOnlyCollection<string> ids)
    {
        var result = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.OrdinalIgnoreCase);
        var list = folders.ToList();
        foreach (var package in resolved.Where(p => ids.Contains(p.Id, StringComparer.OrdinalIgnoreCase)))
        {
            if (Find(list, package) is { } rids)
            {
                result[package.Id] = rids;
            }
        }

        return result;
    }
}
