using ContainerSdk.Generation;
using ContainerSdk.Model;
using ContainerSdk.Ports;

namespace ContainerSdk.Core.Tests;

public class PrivilegedPortTests
{
    private static GenerationResult Generate(ContainerInputs inputs) => DockerfileGenerator.Generate(inputs);

    [Theory]
    [InlineData("http://*:80", 80)]
    [InlineData("http://+:80/", 80)]
    [InlineData("http://0.0.0.0:8080", 8080)]
    [InlineData("https://localhost", 443)]
    [InlineData("http://localhost", 80)]
    [InlineData("http://[::]:443", 443)]
    [InlineData("http://[::1]", 80)]
    [InlineData("HTTP://example:81/path", 81)]
    [InlineData("http://*:0", 0)]
    [InlineData("localhost:80", null)]
    [InlineData("ftp://host", null)]
    [InlineData("http://host:99999", null)]
    public void Ports_are_read_from_urls_as_kestrel_reads_them(string url, int? port) => PortRules.PortOfUrl(url).ShouldBe(port);

    [Theory]
    [InlineData("ASPNETCORE_URLS", "http://+:80;https://+:443", new[] { 80, 443 })]
    [InlineData("ASPNETCORE_HTTP_PORTS", "80;8080", new[] { 80, 8080 })]
    [InlineData("ASPNETCORE_HTTPS_PORTS", "443", new[] { 443 })]
    [InlineData("OTHER", "http://+:80", new int[0])]
    public void Ports_are_read_from_the_variables_kestrel_reads(string name, string value, int[] ports) =>
        PortRules.PortsOfVariable(name, value).ShouldBe(ports);

    [Theory]
    [InlineData("80", null, null)]
    [InlineData("443", null, null)]
    // No ContainerPort: EXPOSE follows the port the environment makes the app listen on (a declared port that
    // disagrees with it is CSDK1020).
    [InlineData("", "ASPNETCORE_URLS", "http://*:80")]
    [InlineData("", "ASPNETCORE_HTTP_PORTS", "80")]
    [InlineData("", "ASPNETCORE_URLS", "https://+")]
    public void Privileged_ports_under_a_non_root_user_warn(string port, string? variable, string? value)
    {
        var result = Generate(TestInputs.Web() with
        {
            Ports = port.Length == 0 ? [] : [new PortInput(port, null)],
            EnvironmentVariables = variable is null ? [] : [new NameValue(variable, value!)],
        });
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        var warning = result.Diagnostics.Single(d => d.Code == "CSDK2022");
        warning.Message.ShouldContain("non-root user 1654");
        warning.Message.ShouldContain("Kubernetes");
        warning.Message.ShouldContain("8080");
    }

    [Theory]
    [InlineData("8080", null, null)]
    [InlineData("1024", null, null)]
    [InlineData("53/udp", null, null)]
    [InlineData("8080", "ASPNETCORE_URLS", "http://+:5000")]
    [InlineData("8080", "ASPNETCORE_URLS", "http://+:0")]
    public void Unprivileged_ports_do_not_warn(string port, string? variable, string? value) =>
        Generate(TestInputs.Web() with
        {
            Ports = [new PortInput(port, null)],
            EnvironmentVariables = variable is null ? [] : [new NameValue(variable, value!)],
        }).Diagnostics.ShouldNotContain(d => d.Code == "CSDK2022");

    [Fact]
    public void Root_may_bind_privileged_ports() =>
        Generate(TestInputs.Web() with { Ports = [new PortInput("80", null)], User = "root", AllowRootUser = "true" })
            .Diagnostics.ShouldNotContain(d => d.Code == "CSDK2022");
}
