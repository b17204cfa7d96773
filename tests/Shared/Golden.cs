using System.Runtime.CompilerServices;

namespace ContainerSdk.Testing;

/// <summary>
/// Generated files compared with checked-in golden copies in the calling test file's Golden/ folder. To accept a
/// change, run the tests with CONTAINERSDK_UPDATE_GOLDEN=1 and review the diff like code. Linked into each test
/// project that keeps golden files.
/// </summary>
internal static class Golden
{
    public static void Check(string name, string actual, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name);
        if (Environment.GetEnvironmentVariable("CONTAINERSDK_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        File.Exists(path).ShouldBeTrue($"Missing golden file {path}; run the tests with CONTAINERSDK_UPDATE_GOLDEN=1 and review it.");
        actual.ShouldBe(File.ReadAllText(path), $"{name} differs from its golden copy; if intended, regenerate with CONTAINERSDK_UPDATE_GOLDEN=1 and review the diff.");
    }
}
