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

    private readonly string context;
    private readonly IDictionary<string, string> globalProperties;
    private readonly SortedSet<string> inputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> visited = new(StringComparer.Ordinal);

    public RestoreInputCollector(string context, IDictionary<string, string> globalProperties)
    {
        this.context = Path.GetFullPath(context).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        this.globalProperties = globalProperties;
    }

    public List<string> Warnings { get; } = new();

    /// <summary>NuGet.config files restore reads on this machine that the image build will not have.</summary>
    public SortedSet<string> ConfigsOutsideContext { get; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Collect(string projectPath)
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

            foreach (var import in project.Imports)
            {
                var imported = import.ImportedProject.FullPath;
                if (IsInContext(imported) && !IsBuildOutput(imported))
                {
                    inputs.Add(imported);
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
                if (Directory.Exists(feed) && IsInContext(feed + Path.DirectorySeparatorChar))
                {
                    // A trailing separator marks a folder: it is copied whole into the restore layer.
                    inputs.Add(feed.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
                }
            }
        }
        catch (System.Xml.XmlException e)
        {
            Warnings.Add($"{configPath}: {e.Message}");
        }
    }
}
