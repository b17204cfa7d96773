using ContainerSdk.Model;

namespace ContainerSdk.Core.Tests;

/// <summary>Inputs as the task would pass them for a project at {context}/src/App/App.csproj.</summary>
internal static class TestInputs
{
    public static string Context { get; } = Path.Combine(Path.GetTempPath(), "containersdk-ctx");

    public static string P(string relative) => Path.Combine(Context, relative.Replace('/', Path.DirectorySeparatorChar));

    public static ContainerInputs Web(Func<ContainerInputs, ContainerInputs>? change = null, string? context = null)
    {
        var root = context ?? Context;
        string At(string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
        var inputs = new ContainerInputs
        {
            ToolVersion = "1.2.3",
            ProjectPath = At("src/App/App.csproj"),
            ContextDirectory = root,
            DockerfilePath = At("src/App/Dockerfile"),
            AssemblyName = "App",
            TargetFrameworkIdentifier = ".NETCoreApp",
            TargetFrameworkVersion = "v10.0",
            IsWebProject = true,
            SelfContained = "false",
            Title = "App",
            Version = "1.0.0",
            RestoreInputs = [At("src/App/App.csproj")],
        };
        return change is null ? inputs : change(inputs);
    }
}
