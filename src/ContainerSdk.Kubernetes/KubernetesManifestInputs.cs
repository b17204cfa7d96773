using System.Collections.Generic;
using ContainerSdk.Model;

namespace ContainerSdk.Kubernetes;

/// <summary>What MSBuild knows that the manifest needs, as plain strings before any validation. The task fills it;
/// <see cref="KubernetesManifestGenerator"/> validates it and builds the objects.</summary>
public sealed record KubernetesManifestInputs
{
    public string ToolVersion { get; init; } = "0.0.0";

    /// <summary>The project file, relative to the manifest's folder (it only goes into the header).</summary>
    public string ProjectPath { get; init; } = "";

    /// <summary>The project's name (AssemblyName): the fallback for the Kubernetes name.</summary>
    public string ProjectName { get; init; } = "";

    /// <summary>Deployment (default) or InferenceService.</summary>
    public string? Kind { get; init; }

    public string? Registry { get; init; }

    public string? Repository { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The pushed manifest digest (<c>sha256:…</c>) from BuildContainerImage's info file, if it pushed this image.</summary>
    public string? PushedDigest { get; init; }

    public string? Version { get; init; }

    public string? User { get; init; }

    public string? AllowRootUser { get; init; }

    public bool IsWebProject { get; init; }

    public IReadOnlyList<PortInput> Ports { get; init; } = [];

    public string? HealthCheckPath { get; init; }

    public string? LivenessPath { get; init; }

    /// <summary>auto, cpu or cuda, as for the Dockerfile.</summary>
    public string? Accelerator { get; init; }

    /// <summary>Packages restore resolved: with Accelerator=auto an ONNX Runtime GPU package means CUDA.</summary>
    public IReadOnlyList<PackageInput> ResolvedPackages { get; init; } = [];

    public string? GpuCount { get; init; }

    public string? Replicas { get; init; }

    public string? CpuRequest { get; init; }

    public string? CpuLimit { get; init; }

    public string? MemoryRequest { get; init; }

    public string? MemoryLimit { get; init; }
}
