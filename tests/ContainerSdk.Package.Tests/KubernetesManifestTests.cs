namespace ContainerSdk.Package.Tests;

/// <summary>GenerateKubernetesManifests through the packed package: the task and KubernetesClient load from tasks/net8.0/.</summary>
[Collection(PackageCollection.Name)]
public sealed class KubernetesManifestTests(PackageFixture package)
{
    [Fact]
    public void The_GPU_package_makes_the_manifest_ask_for_a_GPU_and_a_CPU_project_never_does()
    {
        var gpu = TestProject.Create(package, package.NewWorkspace("kube-gpu"), "My_Gpu.Service", ReferenceMode.PackageReference,
            properties: "<ContainerHealthCheckPath>/v2/health/ready</ContainerHealthCheckPath><ContainerLivenessPath>/v2/health/live</ContainerLivenessPath>",
            items: """<PackageReference Include="Microsoft.ML.OnnxRuntime.Gpu.Linux" Version="1.31.0" />""");
        gpu.Build("-t:GenerateKubernetesManifests").ShouldSucceed();
        string yaml = File.ReadAllText(Path.Combine(gpu.Directory, "kubernetes.yaml"));
        yaml.ShouldContain("  name: my-gpu-service\n");
        yaml.ShouldContain("            nvidia.com/gpu: 1\n");
        yaml.ShouldNotContain("requests:");
        yaml.ShouldContain("path: /v2/health/live");
        File.Exists(gpu.Dockerfile).ShouldBeFalse("the manifest target writes no Dockerfile");

        var cpu = TestProject.Create(package, package.NewWorkspace("kube-cpu"), "cpuapp", ReferenceMode.Sdk);
        cpu.Build("-t:GenerateKubernetesManifests", "-p:ContainerKubernetesKind=InferenceService").ShouldSucceed();
        string kserve = File.ReadAllText(Path.Combine(cpu.Directory, "kubernetes.yaml"));
        kserve.ShouldContain("kind: InferenceService");
        kserve.ShouldContain("name: kserve-container");
        kserve.ShouldNotContain("nvidia.com/gpu");
    }

    [Fact]
    public void Publish_writes_the_manifest_only_when_asked_and_bad_values_write_nothing()
    {
        var project = TestProject.Create(package, package.NewWorkspace("kube-publish"), "app");
        string manifest = Path.Combine(project.Directory, "kubernetes.yaml");
        project.Publish().ShouldSucceed();
        File.Exists(manifest).ShouldBeFalse();

        project.Publish("-p:ContainerGenerateKubernetesManifests=true", "-p:ContainerReplicas=3").ShouldSucceed();
        File.ReadAllText(manifest).ShouldContain("replicas: 3");
        string before = File.ReadAllText(manifest);

        var bad = project.Build("-t:GenerateKubernetesManifests", "-p:ContainerReplicas=-1");
        bad.ExitCode.ShouldNotBe(0);
        bad.ErrorCodes.ShouldBe(["CSDK1032"]);
        File.ReadAllText(manifest).ShouldBe(before);
    }
}
