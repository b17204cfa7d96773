namespace ContainerSdk.IntegrationTests;

/// <summary>The privileged-port analyzer in a real build of a web project that consumes the packed package.</summary>
[Collection(PackageCollection.Name)]
public sealed class PrivilegedPortTests(PackageFixture package)
{
    private const string Program = """
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.UseUrls("http://*:80");
        builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(443));
        var app = builder.Build();
        app.MapGet("/", () => "hello");
        app.Run();
        """;

    private const string Settings = """
        { "Kestrel": { "Endpoints": { "Http": { "Url": "http://0.0.0.0:81" } } } }
        """;

    [Theory]
    [InlineData(ReferenceMode.Sdk)]
    [InlineData(ReferenceMode.PackageReference)]
    public void Hard_coded_ports_below_1024_warn_in_the_build_under_the_default_user(ReferenceMode mode)
    {
        var project = TestProject.Create(package, package.NewWorkspace("ports-" + mode), "svc", mode);
        File.WriteAllText(Path.Combine(project.Directory, "Program.cs"), Program);
        File.WriteAllText(Path.Combine(project.Directory, "appsettings.json"), Settings);
        var result = project.Build();
        result.ShouldSucceed();
        var warnings = result.Warnings.Where(w => w.Contains("CSDK610")).ToList();
        warnings.Count(w => w.Contains("warning CSDK6101") && w.Contains("UseUrls makes the app listen on port 80")).ShouldBe(1, result.Output);
        warnings.Count(w => w.Contains("warning CSDK6101") && w.Contains("ListenAnyIP makes the app listen on port 443")).ShouldBe(1, result.Output);
        warnings.Count(w => w.Contains("warning CSDK6102") && w.Contains("Kestrel:Endpoints:Http:Url") && w.Contains("non-root user 1654")).ShouldBe(1, result.Output);
    }

    [Fact]
    public void A_root_container_user_gets_no_port_warning()
    {
        var project = TestProject.Create(package, package.NewWorkspace("ports-root"), "svc", ReferenceMode.PackageReference,
            properties: "<ContainerUser>0</ContainerUser><ContainerAllowRootUser>true</ContainerAllowRootUser>");
        File.WriteAllText(Path.Combine(project.Directory, "Program.cs"), Program);
        File.WriteAllText(Path.Combine(project.Directory, "appsettings.json"), Settings);
        var result = project.Build();
        result.ShouldSucceed();
        result.WarningCodes.ShouldNotContain("CSDK6101");
        result.WarningCodes.ShouldNotContain("CSDK6102");
    }
}
