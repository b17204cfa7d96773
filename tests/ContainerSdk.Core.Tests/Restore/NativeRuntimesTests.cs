using ContainerSdk.Model;
using ContainerSdk.Restore;

namespace ContainerSdk.Core.Tests.Restore;

public sealed class NativeRuntimesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "containersdk-native-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private void Native(string folder, string id, string version, string rid, bool withFile = true)
    {
        var native = Path.Combine(root, folder, id, version, "runtimes", rid, "native");
        Directory.CreateDirectory(native);
        if (withFile)
        {
            File.WriteAllText(Path.Combine(native, "libonnxruntime.so"), "");
        }
    }

    [Fact]
    public void The_RIDs_with_native_files_in_the_first_folder_that_has_the_package()
    {
        Native("a", "microsoft.ml.onnxruntime", "1.31.0", "linux-x64");
        Native("a", "microsoft.ml.onnxruntime", "1.31.0", "osx-arm64", withFile: false);
        Native("b", "microsoft.ml.onnxruntime", "1.31.0", "win-x64");
        var rids = NativeRuntimes.Find([Path.Combine(root, "missing"), Path.Combine(root, "a"), Path.Combine(root, "b")], new PackageInput("Microsoft.ML.OnnxRuntime", "1.31.0"));
        rids.ShouldBe(["linux-x64"]);
    }

    [Fact]
    public void A_package_in_no_folder_is_unknown() =>
        NativeRuntimes.Find([root], new PackageInput("Microsoft.ML.OnnxRuntime", "1.31.0")).ShouldBeNull();

    [Fact]
    public void All_by_id_for_the_packages_asked_about()
    {
        Native("a", "microsoft.ml.onnxruntime", "1.31.0", "linux-x64");
        Native("a", "other", "1.0.0", "linux-x64");
        var all = NativeRuntimes.FindAll([Path.Combine(root, "a")],
            [new("Microsoft.ML.OnnxRuntime", "1.31.0"), new("Other", "1.0.0"), new("Microsoft.ML.OnnxRuntime.Gpu.Linux", "1.31.0")],
            ["microsoft.ml.onnxruntime", "Microsoft.ML.OnnxRuntime.Gpu.Linux"]);
        all.Keys.ShouldBe(["Microsoft.ML.OnnxRuntime"]);
        all["microsoft.ml.onnxruntime"].ShouldBe(["linux-x64"]);
    }
}
