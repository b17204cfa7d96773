using System.Collections.Generic;

namespace ContainerSdk.Images.Building;

/// <summary>
/// Everything <see cref="ImageBuildPipeline"/> needs, as the BuildContainerImage task receives it (strings as
/// MSBuild hands them over, unvalidated: the pipeline checks them and reports CSDK5xxx).
/// </summary>
public sealed class ImageBuildInputs
{
    public string Dockerfile { get; init; } = "";

    public string Context { get; init; } = "";

    /// <summary>auto (or empty), docker, podman or buildah.</summary>
    public string? Engine { get; init; }

    public string? Registry { get; init; }

    public string Repository { get; init; } = "";

    /// <summary>Empty: latest.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public IReadOnlyList<string> PushArguments { get; init; } = [];

    public IReadOnlyList<BuildSecretInput> Secrets { get; init; } = [];

    public IReadOnlyList<string> Platforms { get; init; } = [];

    public bool Push { get; init; }

    /// <summary>true (default), warn or false.</summary>
    public string? Verify { get; init; }

    public string? SourceRevision { get; init; }

    public string? SourceDateEpoch { get; init; }

    /// <summary>The project's obj/ folder: the image id, digest and verification archive are written here.</summary>
    public string IntermediateDirectory { get; init; } = "";

    public string InfoFile { get; init; } = "";

    /// <summary>Where git is asked for the commit time and revision; default: <see cref="Context"/>.</summary>
    public string? ProjectDirectory { get; init; }

    public string? SecretsBaseline { get; init; }

    public bool AllowRootUser { get; init; }

    /// <summary>$(NoWarn): codes separated by ; or ,.</summary>
    public string? DisabledRules { get; init; }

    public string? EngineSearchPath { get; init; }

    /// <summary>high, normal (default) or low: how the engine's own output lines are logged.</summary>
    public string? OutputImportance { get; init; }

    public string ToolVersion { get; init; } = "0.0.0";
}

/// <summary>One @(ContainerBuildSecret) item as given: its id and the File or Environment metadata (empty when absent).</summary>
public sealed record BuildSecretInput(string Id, string File, string Environment);
