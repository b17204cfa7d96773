using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Restore;

/// <summary>
/// What `dotnet restore` reads for a project graph, gathered as the tasks' evaluation walks it: the files inside the
/// build context (they go into the restore layer), the ones outside it the image will not have, and the files and
/// folders a cached answer depends on. The file-system half of the collector; evaluating projects is MSBuild's.
/// </summary>
public sealed class RestoreInputSet
{
    public static readonly string[] NuGetConfigNames = ["nuget.config", "NuGet.config", "NuGet.Config"];

    /// <summary>Files whose appearance anywhere above a project changes what restore reads, without any existing
    /// file changing: a cached answer is only valid while this snapshot is the same.</summary>
    public static readonly string[] DiscoveredNames =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "packages.lock.json", .. NuGetConfigNames];

    private readonly string context;

    /// <param name="context">The build context folder.</param>
    public RestoreInputSet(string context)
    {
        this.context = Path.GetFullPath(context).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
    }

    /// <summary>Full paths of the restore inputs inside the context; local feed folders end with the separator.</summary>
    public SortedSet<string> Inputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Files whose timestamp and size a cached answer depends on.</summary>
    public SortedSet<string> WatchedFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Folders where a new <see cref="DiscoveredNames"/> file would change the answer.</summary>
    public SortedSet<string> WatchedDirectories { get; } = new(StringComparer.Ordinal);

    /// <summary>What could not be read (a project, a NuGet.config), for the build log; an answer with any is not cached.</summary>
    public List<string> Warnings { get; } = new();

    /// <summary>NuGet.config files restore reads on this machine that the image build will not have.</summary>
    public SortedSet<string> ConfigsOutsideContext { get; } = new(StringComparer.Ordinal);

    /// <summary>Local package folders, named by a NuGet.config inside the context, that lie outside it, as
    /// "feed|config": the image's restore reads the config but cannot reach the folder.</summary>
    public SortedSet<string> FeedsOutsideContext { get; } = new(StringComparer.Ordinal);

    /// <summary>Files evaluation imported from outside the context that are not the SDK's or a package's: the
    /// image's restore does not have them (MSB4019, or a silently different build).</summary>
    public SortedSet<string> ImportsOutsideContext { get; } = new(StringComparer.Ordinal);

    /// <summary>A project file of the graph, and what restore reads near it.</summary>
    public void AddProject(string path)
    {
        Inputs.Add(path);
        WatchedFiles.Add(path);
        AddNear(Path.GetDirectoryName(path)!);
    }

    /// <summary>A file evaluation imported; <paramref name="isToolFile"/>: the SDK image brings its own copy.</summary>
    public void AddImport(string imported, Func<string, bool> isToolFile)
    {
        WatchedFiles.Add(imported);
        if (IsInContext(imported))
        {
            if (!IsBuildOutput(imported))
            {
                Inputs.Add(imported);
            }
        }
        else if (!isToolFile(imported))
        {
            ImportsOutsideContext.Add(imported);
        }
    }

    /// <summary>CSDK2010 for each NuGet.config outside the context, CSDK2013 for each local feed outside it, CSDK1015
    /// for each import outside it.</summary>
    public List<ContainerDiagnostic> OutsideContextDiagnostics(string buildContext)
    {
        var diagnostics = ConfigsOutsideContext.Select(config => ContainerDiagnostic.Create("CSDK2010", config, buildContext)).ToList();
        foreach (var entry in FeedsOutsideContext)
        {
            var bar = entry.IndexOf('|');
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2013", entry.Substring(0, bar), entry.Substring(bar + 1), buildContext));
        }

        // The image's restore fails with MSB4019 (or evaluates differently when the import is conditional).
        diagnostics.AddRange(ImportsOutsideContext.Select(import => ContainerDiagnostic.Create("CSDK1015", import, buildContext)));
        return diagnostics;
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
            Inputs.Add(lockFile);
        }

        for (var dir = directory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            WatchedDirectories.Add(dir);
            bool inside = IsInContext(dir.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
            var globalJson = Path.Combine(dir, "global.json");
            if (inside && File.Exists(globalJson))
            {
                Inputs.Add(globalJson);
            }

            foreach (var name in NuGetConfigNames)
            {
                var config = Path.Combine(dir, name);
                if (!File.Exists(config) || !Directory.GetFiles(dir, name).Any(f => Path.GetFileName(f) == name))
                {
                    continue;
                }

                WatchedFiles.Add(config);
                if (inside)
                {
                    Inputs.Add(config);
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
                if (string.IsNullOrWhiteSpace(value) || value!.IndexOf("://", StringComparison.Ordinal) >= 0)
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
                    Inputs.Add(feed.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
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
