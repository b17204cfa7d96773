using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>
/// Builds the project's Dockerfile into a tagged, labelled image with docker, podman or buildah; verifies the built
/// image (non-root user, an entrypoint, no secret in any layer) before anything leaves the machine; pushes it; and
/// hands the image id and digest back as outputs and in a small JSON file for later CI steps.
/// </summary>
/// <remarks>
/// The parameters, as sdk/build/ContainerSdk.Image.targets sets them. The work is done by
/// <see cref="ContainerSdk.Images.Building.ImageBuildPipeline"/>; this task only maps the items to its inputs and logs.
/// </remarks>
public sealed partial class BuildContainerImage
{
    /// <summary>The Dockerfile to build (ContainerDockerfile).</summary>
    [Required] public string Dockerfile { get; set; } = "";

    /// <summary>The build context folder (ContainerBuildContext).</summary>
    [Required] public string Context { get; set; } = "";

    /// <summary>auto (default: the first of docker, podman, buildah that works), docker, podman or buildah.</summary>
    public string? Engine { get; set; }

    /// <summary>ContainerRegistry: host and optional port, no path; required with Push.</summary>
    public string? Registry { get; set; }

    /// <summary>ContainerRepository, e.g. my-org/inference (lowercase).</summary>
    [Required] public string Repository { get; set; } = "";

    /// <summary>ContainerImageTags (semicolon list) or ContainerImageTag; default latest.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>Extra engine arguments, one per item, placed before the context folder.</summary>
    public string[] ExtraArguments { get; set; } = [];

    /// <summary>Extra engine arguments for each push (ContainerPushArguments).</summary>
    public string[] PushArguments { get; set; } = [];

    /// <summary>@(ContainerBuildSecret): Include is the secret id; File or Environment names where its value is.</summary>
    public ITaskItem[] Secrets { get; set; } = [];

    /// <summary>ContainerPlatforms: linux/amd64;linux/arm64 …</summary>
    public string[] Platforms { get; set; } = [];

    /// <summary>ContainerPush: push every tag after a successful verification.</summary>
    public bool Push { get; set; }

    /// <summary>true (default): findings are errors; warn: warnings; false: no verification.</summary>
    public string? Verify { get; set; }

    /// <summary>The commit for org.opencontainers.image.revision; empty: git HEAD of ProjectDirectory.</summary>
    public string? SourceRevision { get; set; }

    /// <summary>Seconds since 1970 (SOURCE_DATE_EPOCH); empty: the environment's SOURCE_DATE_EPOCH, else the commit time.</summary>
    public string? SourceDateEpoch { get; set; }

    /// <summary>The project's obj/ folder: the image id, digest and the verification archive go here.</summary>
    [Required] public string IntermediateDirectory { get; set; } = "";

    /// <summary>ContainerImageInfoFile: the JSON result for later CI steps.</summary>
    [Required] public string InfoFile { get; set; } = "";

    /// <summary>Where git is asked for the commit time and revision; default: Context.</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>The secret baseline file: fingerprints listed there are not reported in layers either.</summary>
    public string? SecretsBaseline { get; set; }

    /// <summary>ContainerAllowRootUser=true: the image may run as root on purpose, so the user check is off.</summary>
    public bool AllowRootUser { get; set; }

    /// <summary>$(NoWarn): secret rules listed there are not reported by the verification either.</summary>
    public string? DisabledRules { get; set; }

    /// <summary>Folders (PATH syntax) to find the engine in instead of PATH: ContainerEngineSearchPath.</summary>
    public string? EngineSearchPath { get; set; }

    /// <summary>high, normal (default) or low: the importance of the engine's own output lines in the MSBuild log.</summary>
    public string? OutputImportance { get; set; }

    /// <summary>The package version, written to the info file as "tool".</summary>
    public string ToolVersion { get; set; } = "0.0.0";

    /// <summary>The built image's id (empty for a multi-platform manifest list).</summary>
    [Output] public string? ImageId { get; set; }

    /// <summary>The pushed manifest's digest (sha256:…), when pushed.</summary>
    [Output] public string? ImageDigest { get; set; }

    /// <summary>Every registry/repository:tag built.</summary>
    [Output] public string[] ImageReferences { get; set; } = [];

    /// <summary>The engine that built the image: docker, podman or buildah.</summary>
    [Output] public string? EngineName { get; set; }
}
