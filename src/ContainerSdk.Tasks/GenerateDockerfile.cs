using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ContainerSdk.Diagnostics;
using ContainerSdk.Generation;
using ContainerSdk.Model;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ContainerSdk.Tasks;

/// <summary>Thin adapter: MSBuild items and properties in, <see cref="DockerfileGenerator"/> out, diagnostics logged.</summary>
public sealed class GenerateDockerfile : Microsoft.Build.Utilities.Task
{
    [Required] public string ProjectPath { get; set; } = "";

    /// <summary>Empty: the nearest folder (project folder first, then upwards) holding .git or a solution file.</summary>
    public string? ContextDirectory { get; set; }

    [Required] public string DockerfilePath { get; set; } = "";

    public string? IgnoreFilePath { get; set; }

    [Required] public string AssemblyName { get; set; } = "";

    public string TargetFrameworkIdentifier { get; set; } = "";

    public string TargetFrameworkVersion { get; set; } = "";

    public string? PublishFramework { get; set; }

    /// <summary>$(TargetFrameworks): the build stage's SDK must build all of them.</summary>
    public string? TargetFrameworks { get; set; }

    /// <summary>$(LangVersion) of a C# project (empty for other languages).</summary>
    public string? LangVersion { get; set; }

    public bool IsWebProject { get; set; }

    public string? SelfContained { get; set; }

    public string Configuration { get; set; } = "Release";

    /// <summary>The configuration of the running build: a Release build warns about floating base image tags.</summary>
    public string? CurrentConfiguration { get; set; }

    public string? BaseImage { get; set; }

    public string? SdkImage { get; set; }

    public string? Family { get; set; }

    public string? DotnetRuntimeImage { get; set; }

    public string? Accelerator { get; set; }

    public string? CudaVersion { get; set; }

    public string? User { get; set; }

    public string? AllowRootUser { get; set; }

    public string? WorkingDirectory { get; set; }

    public ITaskItem[] Ports { get; set; } = [];

    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    public ITaskItem[] Labels { get; set; } = [];

    public ITaskItem[] AppCommandArgs { get; set; } = [];

    public ITaskItem[] DefaultArgs { get; set; } = [];

    public ITaskItem[] Models { get; set; } = [];

    public string? ModelDirectory { get; set; }

    public string? HealthCheckPath { get; set; }

    public string? Title { get; set; }

    public string? Version { get; set; }

    public string? Description { get; set; }

    public string? Authors { get; set; }

    public string? SourceUrl { get; set; }

    public string? ProjectAssetsFile { get; set; }

    public ITaskItem[] BuildNeededFiles { get; set; } = [];

    public string? Overwrite { get; set; }

    /// <summary>Where the restore-input cache lives (obj/); empty evaluates the project graph every time.</summary>
    public string? CacheFile { get; set; }

    public string ToolVersion { get; set; } = "0.0.0";

    /// <summary>Properties used to evaluate referenced projects the way this build sees them.</summary>
    public ITaskItem[] EvaluationProperties { get; set; } = [];

    [Output] public string? GeneratedDockerfile { get; set; }

    [Output] public string? GeneratedIgnoreFile { get; set; }

    [Output] public string? BuildContext { get; set; }

    /// <summary>An .onnx model's external-data files travel with it; a model that cannot be read stops generation
    /// (CSDK4010-4012), since the image would not run.</summary>
    private static ModelInput ReadModel(ITaskItem item, List<ContainerDiagnostic> diagnostics)
    {
        var path = item.GetMetadata("FullPath");
        var model = new ModelInput(path, NullIfEmpty(item.GetMetadata("ContainerPath")));
        if (!Onnx.Models.ModelFileReader.IsOnnx(path) || !File.Exists(path))
        {
            return model;
        }

        var info = Onnx.Models.ModelFileReader.Read(path);
        diagnostics.AddRange(info.Problems.Select(p => ReadOnnxModelSignatures.ToDiagnostic(item.ItemSpec, p)));
        return model with { ExternalData = info.ExternalDataPaths };
    }

    public override bool Execute()
    {
        var diagnostics = new List<ContainerDiagnostic>();
        if (!Text.ValueRules.IsTrueFalse(Overwrite, false, out var overwrite))
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1016", "ContainerDockerfileOverwrite", Text.ValueRules.Printable(Overwrite!)));
        }

        BuildContext = string.IsNullOrWhiteSpace(ContextDirectory)
            ? BuildContextLocator.Find(Path.GetDirectoryName(Path.GetFullPath(ProjectPath))!)
            : Path.GetFullPath(ContextDirectory!).TrimEnd(Path.DirectorySeparatorChar);
        var collector = new RestoreInputCollector(
            BuildContext,
            EvaluationProperties.ToDictionary(p => p.ItemSpec, p => p.GetMetadata("Value"), StringComparer.OrdinalIgnoreCase));
        var restoreInputs = collector.Collect(ProjectPath, string.IsNullOrWhiteSpace(CacheFile) ? null : Path.GetFullPath(CacheFile!));
        Log.LogMessage(MessageImportance.Low, "ContainerSdk: restore inputs {0}", collector.FromCache ? "from cache" : "from evaluation");
        foreach (var warning in collector.Warnings)
        {
            Log.LogMessage(MessageImportance.Normal, "ContainerSdk: could not evaluate {0}", warning);
        }

        foreach (var config in collector.ConfigsOutsideContext)
        {
            diagnostics.Add(ContainerDiagnostic.Warning("CSDK2010", config, BuildContext));
        }

        foreach (var entry in collector.FeedsOutsideContext)
        {
            var bar = entry.IndexOf('|');
            diagnostics.Add(ContainerDiagnostic.Warning("CSDK2013", entry.Substring(0, bar), entry.Substring(bar + 1), BuildContext));
        }

        foreach (var import in collector.ImportsOutsideContext)
        {
            // The image's restore fails with MSB4019 (or evaluates differently when the import is conditional).
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1015", import, BuildContext));
        }

        var resolved = ReadResolvedPackages(ProjectAssetsFile);
        var folders = ReadPackageFolders(ProjectAssetsFile);
        var nativeRids = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var package in resolved.Where(p => OnnxRuntime.OnnxRuntimePackaging.NativePackages.Contains(p.Id, StringComparer.OrdinalIgnoreCase)))
        {
            if (CheckOnnxRuntimePackaging.NativeRids(folders, package) is { } rids)
            {
                nativeRids[package.Id] = rids;
            }
        }

        var globalJson = FindGlobalJson(Path.GetDirectoryName(Path.GetFullPath(ProjectPath))!, BuildContext);
        string? sdkVersion = null, rollForward = null;
        if (globalJson is not null && !TryReadGlobalJson(globalJson, out sdkVersion, out rollForward))
        {
            diagnostics.Add(ContainerDiagnostic.Warning("CSDK1028", globalJson, "file", "not valid JSON"));
        }

        var inputs = new ContainerInputs
        {
            ToolVersion = ToolVersion,
            ProjectPath = ProjectPath,
            ContextDirectory = BuildContext,
            DockerfilePath = DockerfilePath,
            AssemblyName = AssemblyName,
            TargetFrameworkIdentifier = TargetFrameworkIdentifier,
            TargetFrameworkVersion = TargetFrameworkVersion,
            IsWebProject = IsWebProject,
            PublishFramework = PublishFramework,
            TargetFrameworks = TargetFrameworks,
            LangVersion = LangVersion,
            GlobalJsonPath = globalJson is null ? null : Path.GetRelativePath(BuildContext, globalJson).Replace('\\', '/'),
            GlobalJsonSdkVersion = sdkVersion,
            GlobalJsonRollForward = rollForward,
            SelfContained = SelfContained,
            Configuration = Configuration,
            WarnOnFloatingTags = string.Equals(CurrentConfiguration, "Release", StringComparison.OrdinalIgnoreCase),
            BaseImage = BaseImage,
            SdkImage = SdkImage,
            Family = Family,
            DotnetRuntimeImage = DotnetRuntimeImage,
            Accelerator = Accelerator,
            CudaVersion = CudaVersion,
            User = User,
            AllowRootUser = AllowRootUser,
            WorkingDirectory = WorkingDirectory,
            Ports = Ports.Select(p => new PortInput(p.ItemSpec, NullIfEmpty(p.GetMetadata("Type")))).ToList(),
            EnvironmentVariables = EnvironmentVariables.Select(e => new NameValue(e.ItemSpec, e.GetMetadata("Value"))).ToList(),
            Labels = Labels.Select(l => new NameValue(l.ItemSpec, l.GetMetadata("Value"))).ToList(),
            AppCommandArgs = AppCommandArgs.Select(a => a.ItemSpec).ToList(),
            DefaultArgs = DefaultArgs.Select(a => a.ItemSpec).ToList(),
            Models = Models.Select(m => ReadModel(m, diagnostics)).ToList(),
            ModelDirectory = ModelDirectory,
            HealthCheckPath = HealthCheckPath,
            Title = Title,
            Version = Version,
            Description = Description,
            Authors = Authors,
            SourceUrl = SourceUrl,
            ResolvedPackages = resolved,
            NativeRuntimeIdentifiers = nativeRids,
            RestoreInputs = restoreInputs.ToList(),
            BuildNeededFiles = BuildNeededFiles.Select(f => f.GetMetadata("FullPath")).ToList(),
        };

        var result = DockerfileGenerator.Generate(inputs);
        diagnostics.AddRange(result.Diagnostics);
        if (result.Succeeded && !diagnostics.Any(d => d.IsError))
        {
            // <Dockerfile>.dockerignore beside the Dockerfile: BuildKit and buildah/podman both read it for that
            // Dockerfile ahead of a root .dockerignore, so it never clobbers the repo's own or another project's.
            var ignorePath = string.IsNullOrWhiteSpace(IgnoreFilePath)
                ? Path.GetFullPath(DockerfilePath) + ".dockerignore"
                : Path.GetFullPath(IgnoreFilePath!);
            var owner = result.Spec!.ProjectPath;
            var files = new List<PlannedFile> { new(Path.GetFullPath(DockerfilePath), result.Dockerfile!, Owner: owner, ContextDirectory: BuildContext) };
            if (ignorePath is not null)
            {
                files.Add(new PlannedFile(ignorePath, result.IgnoreFile!, IsIgnoreFile: true, Owner: owner, ContextDirectory: BuildContext));
            }

            foreach (var (file, outcome) in GeneratedFileWriter.Write(files, overwrite, diagnostics))
            {
                Log.LogMessage(MessageImportance.High, "ContainerSdk: {0} {1}", file.Path,
                    outcome switch { WriteOutcome.Written => "written", WriteOutcome.Unchanged => "unchanged", _ => "kept (not generated by ContainerSdk or edited)" });
            }

            GeneratedDockerfile = files[0].Path;
            GeneratedIgnoreFile = ignorePath;
        }

        foreach (var d in diagnostics)
        {
            Log.Log(d, ProjectPath);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The global.json dotnet would read for a build in the project folder: the nearest one, inside the context.</summary>
    internal static string? FindGlobalJson(string projectDirectory, string context)
    {
        var root = Path.GetFullPath(context).TrimEnd(Path.DirectorySeparatorChar);
        for (var dir = projectDirectory; dir is not null && (dir + Path.DirectorySeparatorChar).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, "global.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>sdk.version and sdk.rollForward, read as dotnet reads them (comments allowed).</summary>
    internal static bool TryReadGlobalJson(string path, out string? version, out string? rollForward)
    {
        version = null;
        rollForward = null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && TryGetProperty(document.RootElement, "sdk", out var sdk) && sdk.ValueKind == JsonValueKind.Object)
            {
                version = TryGetProperty(sdk, "version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                rollForward = TryGetProperty(sdk, "rollForward", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }

        static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }

            value = default;
            return false;
        }
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

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
