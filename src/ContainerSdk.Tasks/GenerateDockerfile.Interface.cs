using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>
/// Writes the project's Dockerfile and its ignore file (ContainerSdk.targets' GenerateDockerfile target). This part is
/// the task's parameter list, as the targets set it: plain strings and items, validated by Core, not here. String
/// properties that are true/false stay strings so a wrong value is a CSDK1016 with the property's name.
/// </summary>
public sealed partial class GenerateDockerfile : Microsoft.Build.Utilities.Task
{
    /// <summary>$(MSBuildProjectFullPath): the project the image publishes.</summary>
    [Required] public string ProjectPath { get; set; } = "";

    /// <summary>ContainerBuildContext. Empty: the nearest folder (project folder first, then upwards) holding .git or a
    /// solution file.</summary>
    public string? ContextDirectory { get; set; }

    /// <summary>ContainerDockerfile: where the Dockerfile is written.</summary>
    [Required] public string DockerfilePath { get; set; } = "";

    /// <summary>ContainerIgnoreFile. Empty: <c>&lt;Dockerfile&gt;.dockerignore</c>.</summary>
    public string? IgnoreFilePath { get; set; }

    /// <summary>$(AssemblyName): the app the ENTRYPOINT starts.</summary>
    [Required] public string AssemblyName { get; set; } = "";

    /// <summary>$(TargetFrameworkIdentifier), e.g. .NETCoreApp.</summary>
    public string TargetFrameworkIdentifier { get; set; } = "";

    /// <summary>$(TargetFrameworkVersion), e.g. v10.0.</summary>
    public string TargetFrameworkVersion { get; set; } = "";

    /// <summary>ContainerTargetFramework of a multi-targeted project: the image's publish selects it with -f.</summary>
    public string? PublishFramework { get; set; }

    /// <summary>$(TargetFrameworks): the build stage's SDK must build all of them.</summary>
    public string? TargetFrameworks { get; set; }

    /// <summary>$(LangVersion) of a C# project (empty for other languages).</summary>
    public string? LangVersion { get; set; }

    /// <summary>An ASP.NET Core project: the aspnet image, port 8080 and ASPNETCORE_HTTP_PORTS.</summary>
    public bool IsWebProject { get; set; }

    /// <summary>$(SelfContained) (true/false): the runtime-deps image and the apphost.</summary>
    public string? SelfContained { get; set; }

    /// <summary>ContainerConfiguration: the configuration the image's publish uses.</summary>
    public string Configuration { get; set; } = ContainerDefaults.Configuration;

    /// <summary>The configuration of the running build: a Release build warns about floating base image tags.</summary>
    public string? CurrentConfiguration { get; set; }

    /// <summary>ContainerBaseImage: the runtime stage's base.</summary>
    public string? BaseImage { get; set; }

    /// <summary>ContainerSdkImage: the build stage's image.</summary>
    public string? SdkImage { get; set; }

    /// <summary>ContainerFamily: the .NET images' tag suffix.</summary>
    public string? Family { get; set; }

    /// <summary>ContainerDotnetRuntimeImage: where a CUDA image's .NET runtime is copied from.</summary>
    public string? DotnetRuntimeImage { get; set; }

    /// <summary>ContainerAccelerator: auto, cpu or cuda.</summary>
    public string? Accelerator { get; set; }

    /// <summary>ContainerCudaVersion: 13, 12.8 or 12.8.1.</summary>
    public string? CudaVersion { get; set; }

    /// <summary>ContainerUser: numeric UID[:GID].</summary>
    public string? User { get; set; }

    /// <summary>ContainerAllowRootUser (true/false).</summary>
    public string? AllowRootUser { get; set; }

    /// <summary>ContainerWorkingDirectory: WORKDIR, where the app is copied.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>@(ContainerPort): the port, with Type metadata tcp or udp.</summary>
    public ITaskItem[] Ports { get; set; } = [];

    /// <summary>@(ContainerEnvironmentVariable): the name, with Value metadata.</summary>
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    /// <summary>@(ContainerLabel): the name, with Value metadata.</summary>
    public ITaskItem[] Labels { get; set; } = [];

    /// <summary>@(ContainerAppCommandArgs): extra ENTRYPOINT arguments.</summary>
    public ITaskItem[] AppCommandArgs { get; set; } = [];

    /// <summary>@(ContainerDefaultArgs): CMD.</summary>
    public ITaskItem[] DefaultArgs { get; set; } = [];

    /// <summary>@(ContainerModel): model files, with optional ContainerPath metadata.</summary>
    public ITaskItem[] Models { get; set; } = [];

    /// <summary>ContainerModelDirectory: where models without ContainerPath go.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>ContainerHealthCheckPath: the HTTP path the HEALTHCHECK probes.</summary>
    public string? HealthCheckPath { get; set; }

    /// <summary>ContainerTitle: org.opencontainers.image.title.</summary>
    public string? Title { get; set; }

    /// <summary>$(Version): org.opencontainers.image.version.</summary>
    public string? Version { get; set; }

    /// <summary>$(Description): org.opencontainers.image.description.</summary>
    public string? Description { get; set; }

    /// <summary>$(Authors): org.opencontainers.image.authors.</summary>
    public string? Authors { get; set; }

    /// <summary>ContainerSourceUrl: org.opencontainers.image.source.</summary>
    public string? SourceUrl { get; set; }

    /// <summary>$(ProjectAssetsFile): the package versions restore resolved.</summary>
    public string? ProjectAssetsFile { get; set; }

    /// <summary>Files the build needs even if an ignore pattern would exclude them.</summary>
    public ITaskItem[] BuildNeededFiles { get; set; } = [];

    /// <summary>ContainerDockerfileOverwrite (true/false): replace a hand-edited or foreign Dockerfile.</summary>
    public string? Overwrite { get; set; }

    /// <summary>Where the restore-input cache lives (obj/); empty evaluates the project graph every time.</summary>
    public string? CacheFile { get; set; }

    /// <summary>$(ContainerSdkVersion), printed in the Dockerfile's header.</summary>
    public string ToolVersion { get; set; } = "0.0.0";

    /// <summary>Properties used to evaluate referenced projects the way this build sees them (Value metadata).</summary>
    public ITaskItem[] EvaluationProperties { get; set; } = [];

    /// <summary>The Dockerfile's full path, when generation succeeded.</summary>
    [Output] public string? GeneratedDockerfile { get; set; }

    /// <summary>The ignore file's full path, when generation succeeded.</summary>
    [Output] public string? GeneratedIgnoreFile { get; set; }

    /// <summary>The build context used (full path, no trailing separator).</summary>
    [Output] public string? BuildContext { get; set; }
}
