extern alias analyzer;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using PortAnalyzer = analyzer::ContainerSdk.Analyzers.PrivilegedPortAnalyzer;
using PortDescriptors = analyzer::ContainerSdk.Analyzers.PrivilegedPortDescriptors;

using ContainerSdk.Secrets;

namespace ContainerSdk.Analyzers.Tests;

/// <summary>The privileged-port analyzer (CSDK6101 in code, CSDK6102 in shipped appsettings), without network: ASP.NET
/// Core's entry points are declared as stubs with their real namespaces, which is all the analyzer matches on.</summary>
public class PrivilegedPortAnalyzerTests
{
    private const string AspNetCoreStubs = """
        namespace Microsoft.AspNetCore.Hosting
        {
            public interface IWebHostBuilder { IWebHostBuilder UseSetting(string key, string? value); }
            public static class HostingAbstractionsWebHostBuilderExtensions
            {
                public static IWebHostBuilder UseUrls(this IWebHostBuilder builder, params string[] urls) => builder;
            }
        }
        namespace Microsoft.AspNetCore.Server.Kestrel.Core
        {
            public class KestrelServerOptions
            {
                public void Listen(object address, int port) { }
                public void ListenAnyIP(int port) { }
                public void ListenLocalhost(int port) { }
            }
        }
        namespace Microsoft.AspNetCore.Builder
        {
            public class WebApplication
            {
                public System.Collections.Generic.ICollection<string> Urls { get; } = new System.Collections.Generic.List<string>();
                public void Run(string? url = null) { }
            }
        }
        """;

    private sealed class Test : CSharpAnalyzerTest<PortAnalyzer, DefaultVerifier>
    {
        private readonly List<string> config = ["is_global = true\n"];

        public Test(string code, string? user = null)
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(object).Assembly.Location));
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll")));
            TestState.Sources.Add(code);
            TestState.Sources.Add(AspNetCoreStubs);
            if (user is not null)
            {
                config.Add($"build_property.ContainerUser = {user}\n");
            }

            WriteConfig();
        }

        public Test WithFile(string name, string text, string role = "Content")
        {
            var path = "/0/" + name;
            TestState.AdditionalFiles.Add((path, text));
            config.Add($"[{path}]\nbuild_metadata.AdditionalFiles.ContainerSecretsRole = {role}\n");
            WriteConfig();
            return this;
        }

        public Test Expect(string id, int location, params object[] arguments)
        {
            ExpectedDiagnostics.Add(new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(location).WithArguments(arguments));
            return this;
        }

        private void WriteConfig()
        {
            TestState.AnalyzerConfigFiles.RemoveAll(f => f.filename == "/.globalconfig");
            TestState.AnalyzerConfigFiles.Add(("/.globalconfig", string.Concat(config)));
        }
    }

    [Fact]
    public async Task Urls_below_1024_in_UseUrls_Run_and_Urls_Add_are_reported_on_the_literal()
    {
        var test = new Test("""
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Hosting;
            class Program
            {
                static void Configure(IWebHostBuilder web, WebApplication app)
                {
                    web.UseUrls({|#0:"http://*:80"|});
                    web.UseUrls("http://*:8080", {|#1:"https://+:443"|});
                    web.UseUrls({|#2:"http://+:80;http://+:81"|});
                    app.Urls.Add({|#3:"http://0.0.0.0:80"|});
                    app.Run({|#4:"http://localhost"|});
                    web.UseSetting("urls", {|#5:"http://[::]:88"|});
                    web.UseSetting("environment", "http://*:80");
                    app.Run("http://*:5000");
                    app.Run();
                }
            }
            """)
            .Expect("CSDK6101", 0, "UseUrls", 80, "1654")
            .Expect("CSDK6101", 1, "UseUrls", 443, "1654")
            .Expect("CSDK6101", 2, "UseUrls", 80, "1654")
            .Expect("CSDK6101", 2, "UseUrls", 81, "1654")
            .Expect("CSDK6101", 3, "Urls.Add", 80, "1654")
            .Expect("CSDK6101", 4, "Run", 80, "1654")
            .Expect("CSDK6101", 5, "UseSetting(\"urls\")", 88, "1654");
        await test.RunAsync();
    }

    [Fact]
    public async Task Literal_and_constant_ports_in_Kestrel_Listen_calls_are_reported()
    {
        var test = new Test("""
            using Microsoft.AspNetCore.Server.Kestrel.Core;
            class Program
            {
                const int HttpPort = 80;
                static void Configure(KestrelServerOptions kestrel, int fromConfig)
                {
                    kestrel.ListenAnyIP({|#0:80|});
                    kestrel.Listen(null!, {|#1:443|});
                    kestrel.ListenLocalhost({|#2:HttpPort|});
                    kestrel.ListenAnyIP(8080);
                    kestrel.ListenAnyIP(0);
                    kestrel.ListenAnyIP(fromConfig);
                }
            }
            """, user: "1000:1000")
            .Expect("CSDK6101", 0, "ListenAnyIP", 80, "1000")
            .Expect("CSDK6101", 1, "Listen", 443, "1000")
            .Expect("CSDK6101", 2, "ListenLocalhost", 80, "1000");
        await test.RunAsync();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0:0")]
    [InlineData("root")]
    public async Task A_root_container_user_may_bind_privileged_ports(string user)
    {
        var test = new Test("""
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.AspNetCore.Server.Kestrel.Core;
            class Program
            {
                static void Configure(IWebHostBuilder web, KestrelServerOptions kestrel)
                {
                    web.UseUrls("http://*:80");
                    kestrel.ListenAnyIP(80);
                }
            }
            """, user).WithFile("appsettings.json", """{ "urls": "http://*:80" }""");
        await test.RunAsync();
    }

    [Fact]
    public async Task Methods_of_the_same_name_outside_AspNetCore_are_not_reported()
    {
        var test = new Test("""
            namespace MyCompany.Hosting
            {
                static class Server
                {
                    public static void UseUrls(params string[] urls) { }
                    public static void ListenAnyIP(int port) { }
                    static void Configure() { UseUrls("http://*:80"); ListenAnyIP(80); new System.Collections.Generic.List<string>().Add("http://*:80"); }
                }
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public async Task Shipped_appsettings_with_privileged_urls_and_kestrel_endpoints_are_reported_on_the_value()
    {
        var settings = """
            {
              // the JSON configuration provider allows comments
              "Logging": { "LogLevel": { "Default": "Information" } },
              "URLS": "http://*:80",
              "Kestrel": {
                "Endpoints": {
                  "Http": { "Url": "http://0.0.0.0:80" },
                  "Https": { "Url": "https://*:8443" },
                  "Grpc": { "Url": "http://[::]:81", "Protocols": "Http2" },
                },
              },
            }
            """;
        var test = new Test("class Program { }")
            .WithFile("appsettings.json", settings)
            .WithFile("appsettings.Production.json", """{ "http_ports": "80;8080" }""")
            .WithFile("appsettings.Development.json", """{ "urls": "http://*:80" }""")
            .WithFile("appsettings.Staging.json", """{ "urls": "http://*:80" }""", role: "Baseline");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CSDK6102", DiagnosticSeverity.Warning)
            .WithSpan("/0/appsettings.Production.json", 1, 17, 1, 26).WithArguments("http_ports", "appsettings.Production.json", 80, "1654"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CSDK6102", DiagnosticSeverity.Warning)
            .WithSpan("/0/appsettings.json", 4, 11, 4, 24).WithArguments("URLS", "appsettings.json", 80, "1654"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CSDK6102", DiagnosticSeverity.Warning)
            .WithSpan("/0/appsettings.json", 7, 24, 7, 43).WithArguments("Kestrel:Endpoints:Http:Url", "appsettings.json", 80, "1654"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CSDK6102", DiagnosticSeverity.Warning)
            .WithSpan("/0/appsettings.json", 9, 24, 9, 40).WithArguments("Kestrel:Endpoints:Grpc:Url", "appsettings.json", 81, "1654"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Malformed_appsettings_are_read_as_far_as_they_go()
    {
        var test = new Test("class Program { }").WithFile("appsettings.json", """{ "urls": "http://*:80", "Kestrel": { oops""");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CSDK6102", DiagnosticSeverity.Warning)
            .WithSpan("/0/appsettings.json", 1, 11, 1, 24).WithArguments("urls", "appsettings.json", 80, "1654"));
        await test.RunAsync();
    }

    private static string RepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    [Fact]
    public void Descriptors_have_release_tracking_docs_and_index_rows()
    {
        var ids = PortDescriptors.All.Select(d => d.Id).ToList();
        ids.ShouldBe(["CSDK6101", "CSDK6102"]);
        var unshipped = File.ReadAllText(Path.Combine(RepoRoot(), "src/ContainerSdk.Analyzers/AnalyzerReleases.Unshipped.md"));
        Regex.Matches(unshipped, @"^(CSDK61\d{2}) \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ShouldBe(ids);
        var index = File.ReadAllText(Path.Combine(RepoRoot(), "docs/diagnostics/README.md"));
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        foreach (var descriptor in PortDescriptors.All)
        {
            File.Exists(Path.Combine(RepoRoot(), "docs", "diagnostics", descriptor.Id + ".md")).ShouldBeTrue(descriptor.Id);
            descriptor.HelpLinkUri.ShouldEndWith("/docs/diagnostics/" + descriptor.Id + ".md");
            index.ShouldContain($"[{descriptor.Id}]({descriptor.Id}.md)");
            readme.ShouldContain("| " + descriptor.Id + " |");
        }
    }
}
