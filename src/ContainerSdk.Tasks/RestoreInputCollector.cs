using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ContainerSdk.Restore;
using Microsoft.Build.Evaluation;

namespace ContainerSdk.Tasks;

/// <summary>
/// Finds what `dotnet restore` reads for a project graph: each project file (following ProjectReference
/// recursively), every file MSBuild really imported from inside the build context (Directory.Build.*,
/// Directory.Packages.props, custom .props/.targets), NuGet.config files and the local feeds they name,
/// global.json and packages.lock.json. Imports come from a real evaluation, not from guessing file names; what is
/// found is kept in a <see cref="RestoreInputSet"/> (Core), which also reads the files near each project.
/// </summary>
internal sealed class RestoreInputCollector
{
    private readonly string context;
    private readonly IDictionary<string, string> globalProperties;
    private readonly HashSet<string> visited = new(StringComparer.Ordinal);

    public RestoreInputCollector(string context, IDictionary<string, string> globalProperties)
    {
        this.context = Path.GetFullPath(context).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        this.globalProperties = globalProperties;
        Found = new RestoreInputSet(context);
    }

    /// <summary>What the last <see cref="Collect"/> found, the files outside the context and the warnings included.</summary>
    public RestoreInputSet Found { get; }

    /// <summary>Whether the last <see cref="Collect"/> answered from the cache file.</summary>
    public bool FromCache { get; private set; }

    /// <summary>
    /// Evaluating the project graph costs a few hundred milliseconds, so the answer is cached (in obj/) together
    /// with what it depends on: the timestamp and size of every file evaluation imported, and which of the
    /// discoverable files (Directory.Build.*, NuGet.config, ...) exist in every folder above each project.
    /// </summary>
    public IReadOnlyCollection<string> Collect(string projectPath, string? cacheFile)
    {
        var key = string.Join("|", new[] { context, Path.GetFullPath(projectPath) }
            .Concat(globalProperties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)));
        if (cacheFile is not null && RestoreInputCache.TryRead(cacheFile, key) is { } cached)
        {
            FromCache = true;
            Found.ConfigsOutsideContext.UnionWith(cached.Outside);
            Found.FeedsOutsideContext.UnionWith(cached.Feeds);
            Found.ImportsOutsideContext.UnionWith(cached.Imports);
            return cached.Inputs;
        }

        var result = Evaluate(projectPath);
        if (cacheFile is not null && Found.Warnings.Count == 0)
        {
            RestoreInputCache.Write(cacheFile, key, result, Found.ConfigsOutsideContext, Found.FeedsOutsideContext, Found.ImportsOutsideContext,
                Found.WatchedFiles, Found.WatchedDirectories, RestoreInputSet.DiscoveredNames);
        }

        return result;
    }

    private IReadOnlyCollection<string> Evaluate(string projectPath)
    {
        using var collection = new ProjectCollection(globalProperties);
        var queue = new Queue<string>();
        queue.Enqueue(Path.GetFullPath(projectPath));
        while (queue.Count > 0)
        {
            var path = queue.Dequeue();
            if (!visited.Add(path))
            {
                continue;
            }

            Found.AddProject(path);
            Project project;
            try
            {
                project = collection.LoadProject(path);
            }
            catch (Exception e) when (e is Microsoft.Build.Exceptions.InvalidProjectFileException or IOException)
            {
                Found.Warnings.Add($"{path}: {e.Message}");
                continue;
            }

            var toolRoots = ToolRoots(project);
            foreach (var import in project.Imports)
            {
                Found.AddImport(import.ImportedProject.FullPath, imported => toolRoots.Any(root => imported.StartsWith(root, StringComparison.Ordinal)));
            }

            foreach (var reference in project.GetItems("ProjectReference"))
            {
                var referenced = Path.GetFullPath(Path.Combine(project.DirectoryPath, reference.EvaluatedInclude));
                if (File.Exists(referenced))
                {
                    queue.Enqueue(referenced);
                }
            }

            collection.UnloadProject(project);
        }

        return Found.Inputs;
    }

    /// <summary>
    /// Where the SDK image brings its own copy of an import: the .NET SDK and MSBuild folders, NuGet package folders
    /// (MSBuild SDKs from packages, package build/ files restore writes into obj/) and the project's own obj/ folder.
    /// Everything else outside the context is the user's and missing in the image.
    /// </summary>
    private static List<string> ToolRoots(Project project)
    {
        var roots = new List<string>();
        void Add(string? value)
        {
            foreach (var part in (value ?? "").Split(';'))
            {
                var trimmed = part.Trim();
                if (trimmed.Length > 0 && Path.IsPathRooted(trimmed))
                {
                    roots.Add(Path.GetFullPath(trimmed).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
                }
            }
        }

        foreach (var name in new[]
        {
            "NetCoreRoot", "DOTNET_HOST_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildToolsPath", "MSBuildBinPath",
            "MSBuildUserExtensionsPath", "NuGetPackageRoot", "NuGetPackageFolders", "RestorePackagesPath", "RestoreFallbackFolders",
            "NUGET_PACKAGES", "MSBuildProjectExtensionsPath", "BaseIntermediateOutputPath",
        })
        {
            var value = project.GetPropertyValue(name);
            if (name == "DOTNET_HOST_PATH" && value.Length > 0)
            {
                value = Path.GetDirectoryName(value) ?? "";
            }

            if (name is "MSBuildProjectExtensionsPath" or "BaseIntermediateOutputPath" && value.Length > 0 && !Path.IsPathRooted(value))
            {
                value = Path.Combine(project.DirectoryPath, value);
            }

            Add(value);
        }

        // The SDK's dotnet root (sdk/, packs/, sdk-manifests/) sits two folders above MSBuildExtensionsPath.
        var extensions = project.GetPropertyValue("MSBuildExtensionsPath").TrimEnd('/', '\\');
        if (Path.IsPathRooted(extensions))
        {
            Add(Path.GetDirectoryName(Path.GetDirectoryName(extensions)));
        }

        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetEnvironmentVariable("USERPROFILE");
        if (!string.IsNullOrEmpty(home))
        {
            Add(Path.Combine(home, ".nuget", "packages"));
        }

        return roots;
    }
}
