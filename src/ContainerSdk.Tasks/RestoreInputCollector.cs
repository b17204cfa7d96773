using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Microsoft.Build.Evaluation;

namespace ContainerSdk.Tasks;

/// <summary>
/// Finds what `dotnet restore` reads for a project graph: each project file (following ProjectReference
/// recursively), every file MSBuild really imported from inside the build context (Directory.Build.*,
/// Directory.Packages.props, custom .props/.targets), NuGet.config files and the local feeds they name,
/// global.json and packages.lock.json. Imports come from a real evaluation, not from guessing file names.
/// </summary>
internal sealed class RestoreInputCollector
{
    private static readonly string[] NuGetConfigNames = ["nuget.config", "NuGet.config", "NuGet.Config"];

    /// <summary>Files whose appearance anywhere above a project changes what restore reads, without any existing
    /// file changing: a cached answer is only valid while this snapshot is the same.</summary>
    private static readonly string[] DiscoveredNames =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "packages.lock.json", .. NuGetConfigNames];

    private readonly string context;
    private readonly IDictionary<string, string> globalProperties;
    private readonly SortedSet<string> inputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> visited = new(StringComparer.Ordinal);
    private readonly SortedSet<string> watchedFiles = new(StringComparer.Ordinal);
    private readonly SortedSet<string> watchedDirectories = new(StringComparer.Ordinal);

    public RestoreInputCollector(string context, IDictionary<string, string> globalProperties)
    {
        this.context = Path.GetFullPath(context).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        this.globalProperties = globalProperties;
    }

    public List<string> Warnings { get; } = new();

    /// <summary>NuGet.config files restore reads on this machine that the image build will not have.</summary>
    public SortedSet<string> ConfigsOutsideContext { get; } = new(StringComparer.Ordinal);

    /// <summary>Local package folders, named by a NuGet.config inside the context, that lie outside it, as
    /// "feed|config": the image's restore reads the config but cannot reach the folder.</summary>
    public SortedSet<string> FeedsOutsideContext { get; } = new(StringComparer.Ordinal);

    /// <summary>Files evaluation imported from outside the context that are not the SDK's or a package's: the
    /// image's restore does not have them (MSB4019, or a silently different build).</summary>
    public SortedSet<string> ImportsOutsideContext { get; } = new(StringComparer.Ordinal);

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
            ConfigsOutsideContext.UnionWith(cached.Outside);
            FeedsOutsideContext.UnionWith(cached.Feeds);
            ImportsOutsideContext.UnionWith(cached.Imports);
            return cached.Inputs;
        }

        var result = Evaluate(projectPath);
        if (cacheFile is not null && Warnings.Count == 0)
        {
            RestoreInputCache.Write(cacheFile, key, result, ConfigsOutsideContext, FeedsOutsideContext, ImportsOutsideContext, watchedFiles, watchedDirectories, DiscoveredNames);
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

            inputs.Add(path);
            watchedFiles.Add(path);
            AddNear(Path.GetDirectoryName(path)!);
            Project project;
            try
            {
                project = collection.LoadProject(path);
            }
            catch (Exception e) when (e is Microsoft.Build.Exceptions.InvalidProjectFileException or IOException)
            {
                Warnings.Add($"{path}: {e.Message}");
                continue;
            }

            var toolRoots = ToolRoots(project);
            foreach (var import in project.Imports)
            {
                var imported = import.ImportedProject.FullPath;
                watchedFiles.Add(imported);
                if (IsInContext(imported))
                {
                    if (!IsBuildOutput(imported))
                    {
                        inputs.Add(imported);
                    }
                }
                else if (!toolRoots.Any(root => imported.StartsWith(root, StringComparison.Ordinal)))
                {
                    ImportsOutsideContext.Add(imported);
                }
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

        return inputs;
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

    private bool IsInContext(string path) => path.StartsWith(context, StringComparison.Ordinal);

    private bool IsBuildOutput(string path)
    {
        var relative = path.Substring(context.Length).Replace('\\', '/');
        return relative.Split('/').Any(s => s is "obj" or "bin");
    }

    /// <summary>NuGet reads every NuGet.config from the project folder up to the root, and dotnet reads the nearest
    /// global.json; only the ones inside the context can reach the image.</summary>
    private void AddNear(string directory)
    {
        var lockFile = Path.Combine(directory, "packages.lock.json");
        if (File.Exists(lockFile))
        {
            inputs.Add(lockFile);
        }

        for (var dir = directory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            watchedDirectories.Add(dir);
            bool inside = IsInContext(dir.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
            var globalJson = Path.Combine(dir, "global.json");
            if (inside && File.Exists(globalJson))
            {
                inputs.Add(globalJson);
            }

            foreach (var name in NuGetConfigNames)
            {
                var config = Path.Combine(dir, name);
                if (!File.Exists(config) || !Directory.GetFiles(dir, name).Any(f => Path.GetFileName(f) == name))
                {
                    continue;
                }

                watchedFiles.Add(config);
                if (inside)
                {
                    inputs.Add(config);
                    AddLocalFeeds(config);
                }
                else
                {
                    ConfigsOutsideContext.Add(config);
                }
            }
        }
    }

    private void AddLocalFeeds(string configPath)
    {
        try
        {
            var document = XDocument.Load(configPath);
            var sources = document.Root?.Element("packageSources")?.Elements("add") ?? Enumerable.Empty<XElement>();
            foreach (var source in sources)
            {
                var value = (string?)source.Attribute("value");
                if (string.IsNullOrWhiteSpace(value) || value!.Contains("://", StringComparison.Ordinal))
                {
                    continue;
                }

                var feed = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(configPath)!, value.Replace('\\', Path.DirectorySeparatorChar)));
                if (!Directory.Exists(feed))
                {
                    continue;
                }

                if (IsInContext(feed.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar))
                {
                    // A trailing separator marks a folder: it is copied whole into the restore layer.
                    inputs.Add(feed.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
                }
                else
                {
                    FeedsOutsideContext.Add(feed.TrimEnd(Path.DirectorySeparatorChar) + "|" + configPath);
                }
            }
        }
        catch (System.Xml.XmlException e)
        {
            Warnings.Add($"{configPath}: {e.Message}");
        }
    }
}
