using ContainerSdk.Generation;
using ContainerSdk.Kubernetes;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>
/// Writes kubernetes.yaml (a Deployment and a Service, or a KServe InferenceService) from the project's container
/// settings. Thin: MSBuild items to plain inputs, <see cref="KubernetesManifestGenerator"/> builds and validates, the
/// shared <see cref="GeneratedFileWriter"/> writes all-or-nothing and keeps a hand-edited file.
/// The parameters sdk/build/ContainerSdk.Kubernetes.targets sets; the mapping is in GenerateKubernetesManifests.cs.
/// </summary>
public sealed partial class GenerateKubernetesManifests : Microsoft.Build.Utilities.Task
{
    /// <summary>The project file (MSBuildProjectFullPath); the manifest header names it relative to the manifest.</summary>
    [Required] public string ProjectPath { get; set; } = "";

    /// <summary>ContainerKubernetesManifest: the file to write (default kubernetes.yaml beside the project).</summary>
    [Required] public string ManifestPath { get; set; } = "";

    /// <summary>The project's assembly name: the default object and repository name.</summary>
    [Required] public string AssemblyName { get; set; } = "";

    /// <summary>ContainerKubernetesKind: Deployment (with a Service) or InferenceService (KServe).</summary>
    public string? Kind { get; set; }

    /// <summary>ContainerRegistry: the registry host the image is pushed to.</summary>
    public string? Registry { get; set; }

    /// <summary>ContainerRepository (default: the assembly name in lowercase).</summary>
    public string? Repository { get; set; }

    /// <summary>ContainerImageTags: the first names the image.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>ContainerImageInfoFile, the result file BuildContainerImage wrote; its pushed digest pins the manifest when it names this image.</summary>
    public string? ImageInfoFile { get; set; }

    /// <summary>The project version, for the app.kubernetes.io/version label.</summary>
    public string? Version { get; set; }

    /// <summary>ContainerUser: becomes runAsUser/runAsGroup.</summary>
    public string? User { get; set; }

    /// <summary>ContainerAllowRootUser.</summary>
    public string? AllowRootUser { get; set; }

    /// <summary>Whether the project is a web app (ASP.NET Core): decides the default port.</summary>
    public bool IsWebProject { get; set; }

    /// <summary>ContainerPort items (metadata Type: tcp or udp).</summary>
    public ITaskItem[] Ports { get; set; } = [];

    /// <summary>ContainerHealthCheckPath: the readiness probe's path.</summary>
    public string? HealthCheckPath { get; set; }

    /// <summary>ContainerLivenessPath (default: the health-check path).</summary>
    public string? LivenessPath { get; set; }

    /// <summary>ContainerAccelerator: auto, cpu or cuda; a GPU is requested only for CUDA.</summary>
    public string? Accelerator { get; set; }

    /// <summary>project.assets.json: the resolved ONNX Runtime packages decide auto.</summary>
    public string? ProjectAssetsFile { get; set; }

    /// <summary>ContainerGpuCount (default 1): nvidia.com/gpu in limits.</summary>
    public string? GpuCount { get; set; }

    /// <summary>ContainerReplicas.</summary>
    public string? Replicas { get; set; }

    /// <summary>ContainerCpuRequest.</summary>
    public string? CpuRequest { get; set; }

    /// <summary>ContainerCpuLimit.</summary>
    public string? CpuLimit { get; set; }

    /// <summary>ContainerMemoryRequest.</summary>
    public string? MemoryRequest { get; set; }

    /// <summary>ContainerMemoryLimit.</summary>
    public string? MemoryLimit { get; set; }

    /// <summary>ContainerKubernetesManifestOverwrite: true replaces a hand-edited manifest.</summary>
    public string? Overwrite { get; set; }

    /// <summary>The ContainerSdk version, written in the header.</summary>
    public string ToolVersion { get; set; } = "0.0.0";

    /// <summary>The manifest written (or left unchanged).</summary>
    [Output] public string? GeneratedManifest { get; set; }

    /// <summary>The image the manifest names: by digest when this image was pushed, else by tag.</summary>
    [Output] public string? ManifestImage { get; set; }
}
