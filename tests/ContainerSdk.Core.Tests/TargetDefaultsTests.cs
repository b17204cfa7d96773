using System.Runtime.CompilerServices;
using ContainerSdk.Model;

namespace ContainerSdk.Core.Tests;

/// <summary>Defaults the targets must state themselves (they are needed before any task runs) agree with the one the
/// Dockerfile generation uses, so a generated binding looks for its model where the Dockerfile puts it.</summary>
public class TargetDefaultsTests
{
    private static string RepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    [Fact]
    public void The_model_bindings_default_model_directory_is_the_Dockerfiles()
    {
        var targets = File.ReadAllText(Path.Combine(RepoRoot(), "sdk/build/ContainerSdk.Models.targets"));
        targets.ShouldContain($"<_ContainerSdkModelDirectory Condition=\"'$(_ContainerSdkModelDirectory)' == ''\">{ContainerSpecFactory.DefaultModelDirectory}</_ContainerSdkModelDirectory>");
    }
}
