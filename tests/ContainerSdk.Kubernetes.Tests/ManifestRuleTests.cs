using ContainerSdk.Kubernetes;
using k8s;
using k8s.Models;

namespace ContainerSdk.Kubernetes.Tests;

/// <summary>The manifest read back with KubernetesClient's own YAML loader and checked field by field against the rules.</summary>
public class ManifestRuleTests
{
    private static List<object> Load(KubernetesManifestInputs inputs)
    {
        var result = KubernetesManifestGenerator.Generate(inputs);
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        var types = new Dictionary<string, Type>
        {
            ["apps/v1/Deployment"] = typeof(V1Deployment),
            ["v1/Service"] = typeof(V1Service),
            ["serving.kserve.io/v1beta1/InferenceService"] = typeof(V1beta1InferenceService),
        };
        return KubernetesYaml.LoadAllFromString(result.Yaml!, types);
    }

    private static void Hardened(V1PodSpec pod, V1Container container, long uid, long gid)
    {
        pod.AutomountServiceAccountToken.ShouldBe(false);
        pod.SecurityContext.RunAsNonRoot.ShouldBe(true);
        pod.SecurityContext.RunAsUser.ShouldBe(uid);
        pod.SecurityContext.RunAsGroup.ShouldBe(gid);
        pod.SecurityContext.SeccompProfile.Type.ShouldBe("RuntimeDefault");
        var sc = container.SecurityContext;
        sc.AllowPrivilegeEscalation.ShouldBe(false);
        sc.ReadOnlyRootFilesystem.ShouldBe(true);
        sc.RunAsNonRoot.ShouldBe(true);
        sc.RunAsUser.ShouldBe(uid);
        sc.RunAsGroup.ShouldBe(gid);
        sc.Capabilities.Drop.ShouldBe(["ALL"]);
        sc.Capabilities.Add.ShouldBeNull();
        sc.SeccompProfile.Type.ShouldBe("RuntimeDefault");
        var tmp = container.VolumeMounts.ShouldHaveSingleItem();
        tmp.MountPath.ShouldBe("/tmp");
        pod.Volumes.ShouldHaveSingleItem().EmptyDir.ShouldNotBeNull();
        pod.Volumes[0].Name.ShouldBe(tmp.Name);
    }

    [Fact]
    public void Cpu_deployment_and_service_follow_every_rule()
    {
        var objects = Load(ManifestInputs.Cpu);
        objects.Count.ShouldBe(2);
        var deployment = objects[0].ShouldBeOfType<V1Deployment>();
        var service = objects[1].ShouldBeOfType<V1Service>();

        deployment.Metadata.Name.ShouldBe("my-gpu-service");
        service.Metadata.Name.ShouldBe("my-gpu-service");
        deployment.Metadata.Labels["app.kubernetes.io/name"].ShouldBe("my-gpu-service");
        deployment.Metadata.Labels["app.kubernetes.io/managed-by"].ShouldBe("ContainerSdk");
        deployment.Metadata.Labels["app.kubernetes.io/version"].ShouldBe("1.0.0_abc");
        deployment.Spec.Replicas.ShouldBe(2);
        deployment.Spec.Selector.MatchLabels.ShouldNotContainKey("app.kubernetes.io/version"); // selectors are immutable
        foreach (var (key, value) in deployment.Spec.Selector.MatchLabels)
        {
            deployment.Spec.Template.Metadata.Labels[key].ShouldBe(value);
            service.Spec.Selector[key].ShouldBe(value);
        }

        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers.ShouldHaveSingleItem();
        container.Image.ShouldBe("ghcr.io/my-org/my_gpu.service:1.0.0");
        container.ImagePullPolicy.ShouldBe("IfNotPresent");
        Hardened(pod, container, 2000, 3000);
        container.Ports.ShouldHaveSingleItem().ContainerPort.ShouldBe(8080);
        container.ReadinessProbe.HttpGet.Path.ShouldBe("/healthz");
        container.ReadinessProbe.HttpGet.Port.Value.ShouldBe("8080");
        container.LivenessProbe.HttpGet.Path.ShouldBe("/healthz");
        container.Resources.Requests["cpu"].ToString().ShouldBe("250m");
        container.Resources.Requests["memory"].ToString().ShouldBe("256Mi");
        container.Resources.Limits["cpu"].ToString().ShouldBe("2");
        container.Resources.Limits["memory"].ToString().ShouldBe("1Gi");
        container.Resources.Limits.ShouldNotContainKey(KubernetesManifestGenerator.GpuResource);
        container.Resources.Requests.ShouldNotContainKey(KubernetesManifestGenerator.GpuResource);

        service.Spec.Type.ShouldBe("ClusterIP");
        var port = service.Spec.Ports.ShouldHaveSingleItem();
        port.Port.ShouldBe(8080);
        port.TargetPort.Value.ShouldBe("8080");
    }

    [Fact]
    public void Gpu_is_only_in_limits_and_only_for_CUDA()
    {
        var container = Load(ManifestInputs.Gpu).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        container.Resources.Limits[KubernetesManifestGenerator.GpuResource].ToString().ShouldBe("2");
        container.Resources.Requests.ShouldNotContainKey(KubernetesManifestGenerator.GpuResource);

        var defaultCount = Load(ManifestInputs.Gpu with { GpuCount = null }).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        defaultCount.Resources.Limits[KubernetesManifestGenerator.GpuResource].ToString().ShouldBe("1");

        var cudaByProperty = Load(ManifestInputs.Cpu with { Accelerator = "cuda" }).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        cudaByProperty.Resources.Limits.ShouldContainKey(KubernetesManifestGenerator.GpuResource);

        var cpuDespitePackage = Load(ManifestInputs.Gpu with { Accelerator = "cpu" }).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        cpuDespitePackage.Resources.Limits.ShouldNotContainKey(KubernetesManifestGenerator.GpuResource);

        var noResources = Load(ManifestInputs.Cpu with { CpuRequest = null, CpuLimit = null, MemoryRequest = null, MemoryLimit = null })
            .OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        noResources.Resources.ShouldBeNull();
    }

    [Fact]
    public void KServe_inference_service_has_a_kserve_container_with_the_v2_probes()
    {
        var isvc = Load(ManifestInputs.KServe).ShouldHaveSingleItem().ShouldBeOfType<V1beta1InferenceService>();
        isvc.ApiVersion.ShouldBe("serving.kserve.io/v1beta1");
        isvc.Kind.ShouldBe("InferenceService");
        isvc.Metadata.Name.ShouldBe("my-gpu-service");
        var predictor = isvc.Spec.Predictor;
        predictor.MinReplicas.ShouldBe(2);
        var container = predictor.Containers.ShouldHaveSingleItem();
        container.Name.ShouldBe("kserve-container");
        Hardened(predictor, container, 2000, 3000);
        container.ReadinessProbe.HttpGet.Path.ShouldBe("/v2/health/ready");
        container.LivenessProbe.HttpGet.Path.ShouldBe("/v2/health/live");
        var port = container.Ports.ShouldHaveSingleItem();
        port.ContainerPort.ShouldBe(8080);
        port.Name.ShouldBeNull();
        container.Resources.Limits[KubernetesManifestGenerator.GpuResource].ToString().ShouldBe("1");
    }

    [Fact]
    public void The_pushed_digest_replaces_the_tag()
    {
        string digest = "sha256:" + new string('a', 64);
        var container = Load(ManifestInputs.Cpu with { PushedDigest = digest }).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        container.Image.ShouldBe("ghcr.io/my-org/my_gpu.service@" + digest);
        container.ImagePullPolicy.ShouldBe("IfNotPresent");

        var latest = Load(ManifestInputs.Cpu with { Tags = ["latest"] }).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        latest.ImagePullPolicy.ShouldBe("Always");
    }

    [Fact]
    public void Without_a_health_path_the_probes_connect_to_the_port()
    {
        var container = Load(ManifestInputs.Cpu with { HealthCheckPath = null }).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        container.ReadinessProbe.HttpGet.ShouldBeNull();
        container.ReadinessProbe.TcpSocket.Port.Value.ShouldBe("8080");
        container.LivenessProbe.TcpSocket.Port.Value.ShouldBe("8080");
    }

    [Fact]
    public void Default_user_is_1654_for_user_and_group()
    {
        var deployment = Load(ManifestInputs.Cpu with { User = null }).OfType<V1Deployment>().Single();
        deployment.Spec.Template.Spec.SecurityContext.RunAsUser.ShouldBe(1654);
        deployment.Spec.Template.Spec.SecurityContext.RunAsGroup.ShouldBe(1654);
    }

    [Theory]
    [InlineData("Kind", "StatefulSet", "CSDK1030")]
    [InlineData("GpuCount", "0", "CSDK1031")]
    [InlineData("GpuCount", "two", "CSDK1031")]
    [InlineData("Replicas", "-1", "CSDK1032")]
    [InlineData("Replicas", "1e3", "CSDK1032")]
    [InlineData("CpuLimit", "lots", "CSDK1033")]
    [InlineData("MemoryRequest", "4Gi", "CSDK1034")]
    [InlineData("LivenessPath", "health live", "CSDK1035")]
    [InlineData("HealthCheckPath", "healthz", "CSDK1019")]
    [InlineData("Repository", "my-org/___", "CSDK2032")]
    [InlineData("Port", "70000", "CSDK1002")]
    [InlineData("Port", "53/udp", "CSDK2033")]
    [InlineData("User", "0", "CSDK1004")]
    [InlineData("User", "app", "CSDK1003")]
    [InlineData("Accelerator", "tpu", "CSDK1005")]
    [InlineData("Repository", "my-org/My_Service", "CSDK5008")]
    [InlineData("Registry", "ghcr.io/org", "CSDK5008")]
    [InlineData("Tag", "-bad", "CSDK5008")]
    public void Bad_values_are_coded_errors_and_no_manifest(string property, string value, string code)
    {
        var inputs = ManifestInputs.Gpu;
        inputs = property switch
        {
            "Kind" => inputs with { Kind = value },
            "GpuCount" => inputs with { GpuCount = value },
            "Replicas" => inputs with { Replicas = value },
            "CpuLimit" => inputs with { CpuLimit = value },
            "MemoryRequest" => inputs with { MemoryRequest = value },
            "LivenessPath" => inputs with { LivenessPath = value },
            "HealthCheckPath" => inputs with { HealthCheckPath = value },
            "Repository" => inputs with { Repository = value },
            "Port" => inputs with { Ports = [new ContainerSdk.Model.PortInput(value, null)] },
            "User" => inputs with { User = value },
            "Registry" => inputs with { Registry = value },
            "Tag" => inputs with { Tags = [value] },
            _ => inputs with { Accelerator = value },
        };
        var result = KubernetesManifestGenerator.Generate(inputs);
        result.Succeeded.ShouldBeFalse();
        result.Yaml.ShouldBeNull();
        result.Diagnostics.Where(d => d.IsError).Select(d => d.Code).ShouldContain(code, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void A_GPU_count_of_zero_is_fine_for_a_CPU_service_that_never_asks_for_one()
    {
        KubernetesManifestGenerator.Generate(ManifestInputs.Cpu with { GpuCount = "0" }).Succeeded.ShouldBeTrue();
    }
}
