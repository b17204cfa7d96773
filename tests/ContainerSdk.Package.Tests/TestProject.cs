namespace ContainerSdk.Package.Tests;

public enum ReferenceMode
{
    Sdk,
    PackageReference,
}

/// <summary>A throwaway project that consumes the packed ContainerSdk exactly as a customer would.</summary>
public sealed class TestProject
{
    private TestProject(string directory, string name)
    {
        Directory = directory;
        Name = name;
    }

    public string Directory { get; }

    public string Name { get; }

    public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

    public string Dockerfile => Path.Combine(Directory, "Dockerfile");

    public static TestProject Create(
        PackageFixture package,
        string workspace,
        string name,
        ReferenceMode mode = ReferenceMode.Sdk,
        string properties = "",
        string items = "",
        bool web = true,
        string subfolder = "")
    {
        var dir = Path.Combine(workspace, subfolder, name);
        System.IO.Directory.CreateDirectory(dir);
        var sdkLine = mode == ReferenceMode.Sdk ? $"""<Sdk Name="ContainerSdk" Version="{package.Version}" />""" : "";
        var packageLine = mode == ReferenceMode.PackageReference
            ? $"""<PackageReference Include="ContainerSdk" Version="{package.Version}" PrivateAssets="all" />"""
            : "";
        File.WriteAllText(Path.Combine(dir, name + ".csproj"), $"""
            <Project Sdk="{(web ? "Microsoft.NET.Sdk.Web" : "Microsoft.NET.Sdk")}">
              {sdkLine}
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <ImplicitUsings>enable</ImplicitUsings>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                {packageLine}
                {items}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), web
            ? "var app = WebApplication.CreateBuilder(args).Build();\napp.MapGet(\"/\", () => \"hello\");\napp.Run();\n"
            : "Console.WriteLine(\"hello\");\n");
        return new TestProject(dir, name);
    }

    public DotnetResult Publish(params string[] extra) => Dotnet.Run(Directory, ["publish", ProjectFile, .. extra]);

    public DotnetResult Build(params string[] extra) => Dotnet.Run(Directory, ["build", ProjectFile, .. extra]);

    public string ReadDockerfile() => File.ReadAllText(Dockerfile);
}
