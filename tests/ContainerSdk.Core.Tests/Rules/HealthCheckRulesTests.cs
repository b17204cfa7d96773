using ContainerSdk.Images;
using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class HealthCheckRulesTests
{
    private static readonly string[] Command = ["dotnet", "/app/App.dll"];

    /// <param name="ports">"number/protocol" separated by ','.</param>
    /// <param name="environment">One NAME=value the app listens by, or "".</param>
    private static Parsed<List<string>?> Parse(string? path, string ports = "8080/tcp", string environment = "", int major = 10)
    {
        var list = ports.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => new ContainerPort(int.Parse(p.Split('/')[0]), p.Split('/')[1])).ToList();
        var env = RuleAssertions.Items(environment);
        return HealthCheckRules.Parse(path, Command, list, ListenPorts.From(env), major, BaseImageCatalog.Default);
    }

    [Theory]
    [InlineData(null, "8080/tcp", "", 10, null, "")]
    [InlineData(" ", "8080/tcp", "", 10, null, "")]
    [InlineData("/health", "8080/tcp", "", 10, "http://127.0.0.1:8080/health", "")]
    [InlineData(" /v2/health/ready ", "53/udp,5000/tcp", "", 10, "http://127.0.0.1:5000/v2/health/ready", "")]
    [InlineData("/health", "5001/tcp,5000/tcp", "ASPNETCORE_URLS=https://+:5001;http://+:5000", 10, "http://127.0.0.1:5000/health", "")]
    [InlineData("/health", "5001/tcp", "ASPNETCORE_URLS=https://+:5001", 10, null, "CSDK1020")]
    [InlineData("/health", "53/udp", "", 10, null, "CSDK1019")]
    [InlineData("health", "8080/tcp", "", 10, null, "CSDK1019")]
    [InlineData("/health?x=1", "8080/tcp", "", 10, null, "CSDK1019")]
    [InlineData("/health", "8080/tcp", "", 3, null, "CSDK2021")]
    [InlineData("/health", "8080/tcp", "", 5, "http://127.0.0.1:8080/health", "")]
    public void Health_check(string? path, string ports, string environment, int major, string? url, string codes)
    {
        var parsed = Parse(path, ports, environment, major);
        parsed.Codes().ShouldBe(codes);
        if (url is null)
        {
            parsed.Value.ShouldBeNull();
        }
        else
        {
            parsed.Value.ShouldBe([.. Command, HealthCheckRules.ProbeArgument, url]);
        }
    }
}
