using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class EnvironmentRulesTests
{
    private static readonly ContainerPort[] Http8080 = [new(8080, "tcp")];

    private static EnvironmentRules.Context Web(int major = 10) => new(IsWebProject: true, IsGpu: false, CopiesRuntime: false, "1654:1654", Http8080, major);

    private static string Render(List<NameValue> environment) => string.Join(" ", environment.Select(e => e.Name + "=" + e.Value));

    [Theory]
    [InlineData("", "ASPNETCORE_HTTP_PORTS=8080", "")]
    [InlineData("A=1", "ASPNETCORE_HTTP_PORTS=8080 A=1", "")]
    [InlineData("_x9=v", "ASPNETCORE_HTTP_PORTS=8080 _x9=v", "")]
    [InlineData("ASPNETCORE_HTTP_PORTS=5000", "ASPNETCORE_HTTP_PORTS=5000", "")]
    [InlineData("ASPNETCORE_URLS=http://+:5000", "ASPNETCORE_URLS=http://+:5000", "")]
    [InlineData("9A=1", "ASPNETCORE_HTTP_PORTS=8080", "CSDK1007")]
    [InlineData("A-B=1", "ASPNETCORE_HTTP_PORTS=8080", "CSDK1007")]
    [InlineData("A=line1\nline2", "ASPNETCORE_HTTP_PORTS=8080", "CSDK1008")]
    public void Web_environment(string variable, string expected, string codes)
    {
        var variables = RuleAssertions.Items(variable);
        var parsed = EnvironmentRules.Parse(variables, Web());
        parsed.Codes().ShouldBe(codes);
        Render(parsed.Value).ShouldBe(expected);
    }

    [Theory]
    [InlineData(10, "ASPNETCORE_HTTP_PORTS=8080")]
    [InlineData(8, "ASPNETCORE_HTTP_PORTS=8080")]
    [InlineData(7, "ASPNETCORE_URLS=http://+:8080")]
    public void Before_NET_8_the_port_goes_in_ASPNETCORE_URLS(int major, string expected) =>
        Render(EnvironmentRules.Parse([], Web(major)).Value).ShouldBe(expected);

    [Theory]
    [InlineData(false, "NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true DOTNET_RUNNING_IN_CONTAINER=true APP_UID=1000")]
    [InlineData(true, "NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true DOTNET_RUNNING_IN_CONTAINER=true APP_UID=1000 DOTNET_ROOT=/usr/share/dotnet")]
    public void A_GPU_image_gets_the_NVIDIA_and_NET_variables(bool copiesRuntime, string expected) =>
        Render(EnvironmentRules.Parse([], new(false, IsGpu: true, copiesRuntime, "1000:2000", [], 10)).Value).ShouldBe(expected);

    [Fact]
    public void The_users_variable_replaces_a_default_of_the_same_name() =>
        Render(EnvironmentRules.Parse([new("NVIDIA_VISIBLE_DEVICES", "0")], new(false, true, false, "1000", [], 10)).Value)
            .ShouldBe("NVIDIA_DRIVER_CAPABILITIES=compute,utility DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true DOTNET_RUNNING_IN_CONTAINER=true APP_UID=1000 NVIDIA_VISIBLE_DEVICES=0");
}
