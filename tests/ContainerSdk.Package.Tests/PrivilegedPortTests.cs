namespace ContainerSdk.Package.Tests;

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
    public void Netcoreapp31_service_with_a_Startup_class_and_port_80_gets_its_image_and_both_warnings()
    {
        // The shape of many .NET Core 3.1 services: Program + Startup, UseUrls("http://*:80") for their own root image.
        var project = TestProject.Create(package, package.NewWorkspace("netcoreapp31"), "legacy", ReferenceMode.PackageReference,
            properties: "<TargetFramework>netcoreapp3.1</TargetFramework><UseAppHost>false</UseAppHost><ImplicitUsings>disable</ImplicitUsings>");
        File.WriteAllText(project.ProjectFile, File.ReadAllText(project.ProjectFile).Replace("<TargetFramework>net10.0</TargetFramework>", ""));
        File.WriteAllText(Path.Combine(project.Directory, "Program.cs"), """
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.Extensions.Hosting;

            public static class Program
            {
                public static void Main(string[] args) => CreateHostBuilder(args).Build().Run();

                public static IHostBuilder CreateHostBuilder(string[] args) =>
                    Host.CreateDefaultBuilder(args).ConfigureWebHostDefaults(web => web.UseStartup<Startup>().UseUrls("http://*:80"));
            }
            """);
        File.WriteAllText(Path.Combine(project.Directory, "Startup.cs"), """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.Extensions.DependencyInjection;

            public class Startup
            {
                public void ConfigureServices(IServiceCollection services) { }

                public void Configure(IApplicationBuilder app) =>
                    app.UseRouting().UseEndpoints(e => e.MapGet("/", c => c.Response.WriteAsync("hello")));
            }
            """);
        var result = project.Build("-t:Build;GenerateDockerfile");
        result.ShouldSucceed();
        result.Warnings.ShouldContain(w => w.Contains("warning CSDK6101") && w.Contains("UseUrls makes the app listen on port 80"), result.Output);
        result.Warnings.ShouldContain(w => w.Contains("warning CSDK2020") && w.Contains("2022-12-13"), result.Output);
        var text = project.ReadDockerfile();
        text.ShouldContain("FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:3.1 AS build");
        text.ShouldContain("FROM mcr.microsoft.com/dotnet/aspnet:3.1\n");
        text.ShouldContain("ENV ASPNETCORE_URLS=\"http://+:8080\"");
        text.ShouldContain("USER 1654:1654");
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
