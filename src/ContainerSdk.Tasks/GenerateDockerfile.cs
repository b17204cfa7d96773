using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Generation;
using ContainerSdk.Model;
using ContainerSdk.OnnxRuntime;
using ContainerSdk.Restore;
using ContainerSdk.Text;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>Thin adapter: MSBuild items and properties in (<see cref="ContainerInputs"/>), <see cref="DockerfileGenerator"/>
/// out, the files written by <see cref="GeneratedFileWriter"/>, diagnostics logged.</summary>
public sealed partial class GenerateDockerfile
{
    public override bool Execute()
    {
        var diagnostics = new List<ContainerDiagnostic>();
        if (!ValueRules.IsTrueFalse(Overwrite, false, out var overwrite))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1016", "ContainerDockerfileOverwrite", ValueRules.Printable(Overwrite!)));
        }

        var projectDirectory = Path.GetDirectoryName(Path.GetFullPath(ProjectPath))!;
        BuildContext = string.IsNullOrWhiteSpace(ContextDirectory)
            ? BuildContextLocator.Find(projectDirectory)
            : Path.GetFullPath(ContextDirectory!).TrimEnd(Path.DirectorySeparatorChar);
        var restoreInputs = CollectRestoreInputs(BuildContext, diagnostics);

        var resolved = ProjectAssets.ReadResolvedPackages(ProjectAssetsFile);
        var nativeRids = NativeRuntimes.FindAll(ProjectAssets.ReadPackageFolders(ProjectAssetsFile), resolved, OnnxRuntimePackaging.NativePackages);

        var globalJson = GlobalJson.Find(projectDirectory, BuildContext);
        string? sdkVersion = null, rollForward = null;
        if (globalJson is not null && !GlobalJson.TryRead(globalJson, out sdkVersion, out rollForward))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1028", globalJson, "file", "not valid JSON"));
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
            // Floating tags are worth a warning in a build made the way the image is (Release).
            WarnOnFloatingTags = string.Equals(CurrentConfiguration, ContainerDefaults.Configuration, StringComparison.OrdinalIgnoreCase),
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
            Write(result, overwrite, diagnostics);
        }

        foreach (var d in diagnostics)
        {
            Log.Log(d, ProjectPath);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The restore inputs of the project graph (cached in obj/), with a diagnostic for each file restore reads
    /// that the image will not have.</summary>
    private IReadOnlyCollection<string> CollectRestoreInputs(string context, List<ContainerDiagnostic> diagnostics)
    {
        var collector = new RestoreInputCollector(
            context,
            EvaluationProperties.ToDictionary(p => p.ItemSpec, p => p.GetMetadata("Value"), StringComparer.OrdinalIgnoreCase));
        var restoreInputs = collector.Collect(ProjectPath, string.IsNullOrWhiteSpace(CacheFile) ? null : Path.GetFullPath(CacheFile!));
        Log.LogMessage(MessageImportance.Low, "ContainerSdk: restore inputs {0}", collector.FromCache ? "from cache" : "from evaluation");
        foreach (var warning in collector.Found.Warnings)
        {
            Log.LogMessage(MessageImportance.Normal, "ContainerSdk: could not evaluate {0}", warning);
        }

        diagnostics.AddRange(collector.Found.OutsideContextDiagnostics(context));
        return restoreInputs;
    }

    /// <summary>The Dockerfile and <c>&lt;Dockerfile&gt;.dockerignore</c> beside it: BuildKit and buildah/podman both read
    /// that for the Dockerfile ahead of a root .dockerignore, so it never clobbers the repository's own or another
    /// project's.</summary>
    private void Write(GenerationResult result, bool overwrite, List<ContainerDiagnostic> diagnostics)
    {
        var ignorePath = string.IsNullOrWhiteSpace(IgnoreFilePath)
            ? Path.GetFullPath(DockerfilePath) + ".dockerignore"
            : Path.GetFullPath(IgnoreFilePath!);
        var owner = result.Spec!.ProjectPath;
        var files = new List<PlannedFile>
        {
            new(Path.GetFullPath(DockerfilePath), result.Dockerfile!, Owner: owner, ContextDirectory: BuildContext),
            new(ignorePath, result.IgnoreFile!, IsIgnoreFile: true, Owner: owner, ContextDirectory: BuildContext),
        };
        foreach (var (file, outcome) in GeneratedFileWriter.Write(files, overwrite, diagnostics))
        {
            Log.LogMessage(MessageImportance.High, "ContainerSdk: {0} {1}", file.Path,
                outcome switch { WriteOutcome.Written => "written", WriteOutcome.Unchanged => "unchanged", _ => "kept (not generated by ContainerSdk or edited)" });
        }

        GeneratedDockerfile = files[0].Path;
        GeneratedIgnoreFile = ignorePath;
    }

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

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
