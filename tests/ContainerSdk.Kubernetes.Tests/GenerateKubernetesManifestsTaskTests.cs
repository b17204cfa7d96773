using System.Collections;
using ContainerSdk.Tasks;
using ContainerSdk.Testing;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ContainerSdk.Kubernetes.Tests;

/// <summary>The thin task against a temp folder: the file it writes, what it keeps, the digest it reads.</summary>
public sealed class GenerateKubernetesManifestsTaskTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("containersdk-kube-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Manifest => Path.Combine(_dir, "kubernetes.yaml");

    private (GenerateKubernetesManifests Task, TestBuildEngine Engine) Create(Action<GenerateKubernetesManifests>? configure = null)
    {
        var engine = new TestBuildEngine();
        var task = new GenerateKubernetesManifests
        {
            BuildEngine = engine,
            ProjectPath = Path.Combine(_dir, "My_Gpu.Service.csproj"),
            ManifestPath = Manifest,
            AssemblyName = "My_Gpu.Service",
            Registry = "127.0.0.1:5000",
            Repository = "e2e/my_gpu.service",
            Tags = ["1", "latest"],
            IsWebProject = true,
            User = "2000",
            ImageInfoFile = Path.Combine(_dir, "obj", "containersdk-image.json"),
            ToolVersion = "1.2.3",
        };
        configure?.Invoke(task);
        return (task, engine);
    }

    [Fact]
    public void Writes_the_manifest_beside_the_project_then_leaves_it_unchanged()
    {
        var (task, engine) = Create();
        task.Execute().ShouldBeTrue(engine.Log);
        string text = File.ReadAllText(Manifest);
        text.ShouldContain("image: 127.0.0.1:5000/e2e/my_gpu.service:1\n");
        text.ShouldContain("from My_Gpu.Service.csproj;");
        text.ShouldNotContain(_dir);
        var stamp = File.GetLastWriteTimeUtc(Manifest);
        Create().Task.Execute().ShouldBeTrue();
        File.ReadAllText(Manifest).ShouldBe(text);
        File.GetLastWriteTimeUtc(Manifest).ShouldBe(stamp);
    }

    [Fact]
    public void A_hand_edit_is_kept_with_CSDK2030_and_overwrite_replaces_it()
    {
        Create().Task.Execute().ShouldBeTrue();
        string edited = File.ReadAllText(Manifest).Replace("replicas: 1", "replicas: 5");
        File.WriteAllText(Manifest, edited);
        var (task, engine) = Create(t => t.Replicas = "3");
        task.Execute().ShouldBeTrue(engine.Log);
        engine.Warnings.ShouldHaveSingleItem().Code.ShouldBe("CSDK2030");
        File.ReadAllText(Manifest).ShouldBe(edited);

        Create(t => { t.Replicas = "3"; t.Overwrite = "true"; }).Task.Execute().ShouldBeTrue();
        File.ReadAllText(Manifest).ShouldContain("replicas: 3");
    }

    [Fact]
    public void A_file_not_written_by_ContainerSdk_is_kept_with_CSDK2031()
    {
        File.WriteAllText(Manifest, "apiVersion: v1\nkind: ConfigMap\n");
        var (task, engine) = Create();
        task.Execute().ShouldBeTrue(engine.Log);
        engine.Warnings.ShouldHaveSingleItem().Code.ShouldBe("CSDK2031");
        File.ReadAllText(Manifest).ShouldBe("apiVersion: v1\nkind: ConfigMap\n");
    }

    [Fact]
    public void Errors_write_nothing_and_keep_the_previous_file()
    {
        var (bad, engine) = Create(t => t.Ports = [new TaskItem("70000")]);
        bad.Execute().ShouldBeFalse();
        engine.Errors.ShouldHaveSingleItem().Code.ShouldBe("CSDK1002");
        File.Exists(Manifest).ShouldBeFalse();

        Create().Task.Execute().ShouldBeTrue();
        string good = File.ReadAllText(Manifest);
        Create(t => { t.Accelerator = "cuda"; t.GpuCount = "0"; }).Task.Execute().ShouldBeFalse();
        File.ReadAllText(Manifest).ShouldBe(good);
    }

    [Fact]
    public void The_digest_BuildContainerImage_pushed_for_this_image_pins_the_manifest()
    {
        string digest = "sha256:" + new string('b', 64);
        Directory.CreateDirectory(Path.Combine(_dir, "obj"));
        string info = Path.Combine(_dir, "obj", "containersdk-image.json");
        File.WriteAllText(info, $$"""{"references": ["127.0.0.1:5000/e2e/my_gpu.service:1"], "digest": "{{digest}}", "pushed": true}""");
        var (task, engine) = Create();
        task.Execute().ShouldBeTrue(engine.Log);
        task.ManifestImage.ShouldBe("127.0.0.1:5000/e2e/my_gpu.service@" + digest);
        File.ReadAllText(Manifest).ShouldContain("image: 127.0.0.1:5000/e2e/my_gpu.service@" + digest + "\n");

        // Another image's info file, or one that was not pushed, is not used.
        File.WriteAllText(info, $$"""{"references": ["127.0.0.1:5000/other:1"], "digest": "{{digest}}", "pushed": true}""");
        (task, _) = Create();
        task.Execute().ShouldBeTrue();
        task.ManifestImage.ShouldBe("127.0.0.1:5000/e2e/my_gpu.service:1");
        File.WriteAllText(info, $$"""{"references": ["127.0.0.1:5000/e2e/my_gpu.service:1"], "digest": "{{digest}}", "pushed": false}""");
        (task, _) = Create();
        task.Execute().ShouldBeTrue();
        task.ManifestImage.ShouldBe("127.0.0.1:5000/e2e/my_gpu.service:1");

        File.WriteAllText(info, "{ not json");
        (task, engine) = Create();
        task.Execute().ShouldBeTrue();
        engine.Warnings.ShouldHaveSingleItem().Code.ShouldBe("CSDK2034");
    }
}
