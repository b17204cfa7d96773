using ContainerSdk.Kubernetes;
using ContainerSdk.Model;

namespace ContainerSdk.Kubernetes.Tests;

/// <summary>The three shapes the issue names: a CPU web service, a CUDA one, a KServe one; hostile project name,
/// non-default user.</summary>
internal static class ManifestInputs
{
    public static KubernetesManifestInputs Cpu => new()
    {
        ToolVersion = "1.2.3",
        ProjectPath = "My_Gpu.Service.csproj",
        ProjectName = "My_Gpu.Service",
        Registry = "ghcr.io",
        Repository = "my-org/my_gpu.service",
        Tags = ["1.0.0", "latest"],
        Version = "1.0.0+abc",
        User = "2000:3000",
        IsWebProject = true,
        HealthCheckPath = "/healthz",
        CpuRequest = "250m",
        CpuLimit = "2",
        MemoryRequest = "256Mi",
        MemoryLimit = "1Gi",
        Replicas = "2",
    };

    public static KubernetesManifestInputs Gpu => Cpu with
    {
        ResolvedPackages = [new PackageInput("Microsoft.ML.OnnxRuntime.Gpu.Linux", "1.31.0")],
        GpuCount = "2",
    };

    public static KubernetesManifestInputs KServe => Cpu with
    {
        Kind = "InferenceService",
        HealthCheckPath = "/v2/health/ready",
        LivenessPath = "/v2/health/live",
        ResolvedPackages = [new PackageInput("Microsoft.ML.OnnxRuntime.Gpu.Linux", "1.31.0")],
    };
}
