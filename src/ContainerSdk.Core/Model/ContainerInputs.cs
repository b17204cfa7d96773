using System.Collections.Generic;

namespace ContainerSdk.Model;

public sealed record PortInput(string Port, string? Type);

public sealed record NameValue(string Name, string Value);

public sealed record PackageInput(string Id, string Version);

/// <summary>A ContainerModel item: a model file (full path), optionally where it goes in the image, and the full paths
/// of the external-data files an ONNX model names (they go beside it, at their location relative to the model).</summary>
public sealed record ModelInput(string Path, string? ContainerPath)
{
    public IReadOnlyList<string> ExternalData { get; init; } = [];
}

/// <summary>
/// What MSBuild knows about the project, as plain strings and paths, before any validation. The task fills this;
/// <see cref="ContainerSpecFactory"/> turns it into a validated <see cref="ContainerSpec"/>.
/// </summary>
public sealed record ContainerInputs
{
    public string ToolVersion { get; init; } = "0.0.0";

    public string ProjectPath { get; init; } = "";

    public string ContextDirectory { get; init; } = "";

    public string DockerfilePath { get; init; } = "";

    public string AssemblyName { get; init; } = "";

    public string TargetFrameworkIdentifier { get; init; } = ".NETCoreApp";

    public string TargetFrameworkVersion { get; init; } = "";

    /// <summary>$(TargetFrameworks) of a multi-targeted project: the build stage's SDK must build every one of them.</summary>
    public string? TargetFrameworks { get; init; }

    /// <summary>$(LangVersion) of a C# project: its compiler ships with an SDK (csharp-sdk.tsv).</summary>
    public string? LangVersion { get; init; }

    /// <summary>The global.json dotnet reads for this project (nearest one up to the build context), for messages.</summary>
    public string? GlobalJsonPath { get; init; }

    /// <summary>sdk.version and sdk.rollForward from that global.json, as written.</summary>
    public string? GlobalJsonSdkVersion { get; init; }

    public string? GlobalJsonRollForward { get; init; }

    /// <summary>Set for multi-targeted projects: the framework the image's publish selects with -f.</summary>
    public string? PublishFramework { get; init; }

    public bool IsWebProject { get; init; }

    public string? SelfContained { get; init; }

    /// <summary>The configuration the image's publish uses (always Release unless ContainerConfiguration says).</summary>
    public string Configuration { get; init; } = ContainerDefaults.Configuration;

    /// <summary>True in a Release build: floating base image tags then get CSDK2003.</summary>
    public bool WarnOnFloatingTags { get; init; }

    public string? BaseImage { get; init; }

    public string? SdkImage { get; init; }

    public string? Family { get; init; }

    /// <summary>The image the .NET runtime is copied from onto a CUDA base (default: the family's aspnet/runtime).</summary>
    public string? DotnetRuntimeImage { get; init; }

    public string? Accelerator { get; init; }

    public string? CudaVersion { get; init; }

    public string? User { get; init; }

    public string? AllowRootUser { get; init; }

    public string? WorkingDirectory { get; init; }

    public IReadOnlyList<PortInput> Ports { get; init; } = [];

    public IReadOnlyList<NameValue> EnvironmentVariables { get; init; } = [];

    public IReadOnlyList<NameValue> Labels { get; init; } = [];

    public IReadOnlyList<string> AppCommandArgs { get; init; } = [];

    public IReadOnlyList<ModelInput> Models { get; init; } = [];

    /// <summary>Folder in the image for models without a ContainerPath (default /app/models).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>HTTP path the HEALTHCHECK probes (e.g. /v2/health/ready); empty: no HEALTHCHECK.</summary>
    public string? HealthCheckPath { get; init; }

    public IReadOnlyList<string> DefaultArgs { get; init; } = [];

    public string? Title { get; init; }

    public string? Version { get; init; }

    public string? Description { get; init; }

    public string? Authors { get; init; }

    public string? SourceUrl { get; init; }

    /// <summary>Packages as restore resolved them (project.assets.json), not as the project declared them.</summary>
    public IReadOnlyList<PackageInput> ResolvedPackages { get; init; } = [];

    /// <summary>Package id → the RIDs its runtimes/RID/native folders cover, for the native ONNX Runtime packages
    /// found in the package folders (a package missing here is unknown).</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> NativeRuntimeIdentifiers { get; init; } =
        new Dictionary<string, IReadOnlyCollection<string>>();

    /// <summary>Full paths of every restore input (project files, imported props/targets, NuGet.config, ...).</summary>
    public IReadOnlyList<string> RestoreInputs { get; init; } = [];

    /// <summary>Full paths the build needs even if an ignore pattern would exclude them.</summary>
    public IReadOnlyList<string> BuildNeededFiles { get; init; } = [];
}
