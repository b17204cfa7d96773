using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Images.Building;

/// <summary>What one run of <see cref="ImageBuildPipeline"/> produced: the outputs as far as it got, and every
/// diagnostic it reported (in order; the log saw each one as it happened).</summary>
public sealed class ImageBuildOutcome
{
    public string? ImageId { get; internal set; }

    public string? ImageDigest { get; internal set; }

    public IReadOnlyList<string> ImageReferences { get; internal set; } = [];

    /// <summary>The engine's executable (docker, podman, buildah) once one was found.</summary>
    public string? EngineName { get; internal set; }

    public List<ContainerDiagnostic> Diagnostics { get; } = [];

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public bool Succeeded => !HasErrors;
}
