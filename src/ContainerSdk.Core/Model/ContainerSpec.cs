using System.Collections.Generic;
using ContainerSdk.Images;

namespace ContainerSdk.Model;

/// <summary>A model file: context-relative source, absolute target in the image, and the external-data files that
/// must sit beside it (same shape), which share its layer.</summary>
public sealed record ModelFile(string Source, string Target)
{
    public IReadOnlyList<ModelFile> ExternalData { get; init; } = [];
}

public sealed record ContainerPort(int Number, string Protocol)
{
    public override string ToString() => Number + "/" + Protocol;
}

/// <summary>GPU facts behind the choice of a CUDA base image, kept for the Dockerfile's comments and for tests.</summary>
public sealed record GpuSelection(string PackageId, string PackageVersion, int CudaMajor, int CudnnMajor, IReadOnlyList<string> Sonames);

/// <summary>A validated, immutable description of the image to build. Every string in it is safe to render.</summary>
public sealed record ContainerSpec
{
    public required string ToolVersion { get; init; }

    /// <summary>Project file path relative to the build context, with '/' separators.</summary>
    public required string ProjectPath { get; init; }

    /// <summary>The Dockerfile's path relative to the context (for the build command in its header).</summary>
    public required string DockerfilePath { get; init; }

    public required string AssemblyName { get; init; }

    public required int FrameworkMajor { get; init; }

    /// <summary>The build stage's SDK major: SDKs before .NET 6 have no `-a`, so their publish names a RID.</summary>
    public int SdkMajor { get; init; }

    /// <summary>Why the build stage uses that SDK, when more than the framework decided it; null otherwise.</summary>
    public string? SdkReason { get; init; }

    /// <summary>The -f argument for multi-targeted projects; null otherwise.</summary>
    public string? PublishFramework { get; init; }

    public required bool IsWebProject { get; init; }

    public required bool SelfContained { get; init; }

    public required string Configuration { get; init; }

    public required ImageReference SdkImage { get; init; }

    public required ImageReference RuntimeImage { get; init; }

    /// <summary>Where the .NET runtime comes from when the base image has none (CUDA bases); null otherwise.</summary>
    public ImageReference? DotnetRuntimeImage { get; init; }

    public GpuSelection? Gpu { get; init; }

    public required string User { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyList<ContainerPort> Ports { get; init; }

    public required IReadOnlyList<NameValue> Environment { get; init; }

    public required IReadOnlyList<NameValue> Labels { get; init; }

    public required IReadOnlyList<string> Entrypoint { get; init; }

    public required IReadOnlyList<string> DefaultArgs { get; init; }

    /// <summary>Model files, copied into their own layer before the app.</summary>
    public IReadOnlyList<ModelFile> Models { get; init; } = [];

    /// <summary>The HEALTHCHECK command (exec form), or null.</summary>
    public IReadOnlyList<string>? HealthCheck { get; init; }

    /// <summary>Restore inputs relative to the context ('/' separators; folders end with '/'), sorted.</summary>
    public required IReadOnlyList<string> RestoreInputs { get; init; }

    /// <summary>Context-relative paths the ignore file must not exclude.</summary>
    public required IReadOnlyList<string> KeepInContext { get; init; }
}
