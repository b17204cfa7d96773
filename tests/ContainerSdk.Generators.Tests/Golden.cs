using System.Runtime.CompilerServices;

namespace ContainerSdk.Generators.Tests;

/// <summary>Golden files in the repository; CONTAINERSDK_UPDATE_GOLDEN=1 rewrites them (review the diff).</summary>
internal static class Golden
{
    public static void Check(string relativePath, string actual, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(caller)!, relativePath);
        if (Environment.GetEnvironmentVariable("CONTAINERSDK_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        File.Exists(path).ShouldBeTrue($"{path} is missing; run the tests with CONTAINERSDK_UPDATE_GOLDEN=1 and review it");
        actual.ShouldBe(File.ReadAllText(path), $"{relativePath} differs; if intended, run with CONTAINERSDK_UPDATE_GOLDEN=1 and review the diff");
    }
}
