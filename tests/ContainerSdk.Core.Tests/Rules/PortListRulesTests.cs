using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class PortListRulesTests
{
    /// <param name="items">Ports as "port[:type]" separated by ',' ("" for none).</param>
    /// <param name="environment">One NAME=value the app listens by, or "".</param>
    private static Parsed<List<ContainerPort>> Parse(string items, bool web, string environment = "")
    {
        var inputs = items.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(i => i.Split(':') is [var port, var type] ? new PortInput(port, type) : new PortInput(i, null))
            .ToList();
        var env = RuleAssertions.Items(environment);
        return PortListRules.Parse(inputs, web, ListenPorts.From(env));
    }

    [Theory]
    [InlineData("", true, "", "8080/tcp", "")]
    [InlineData("", false, "", "", "")]
    [InlineData("5000", true, "", "5000/tcp", "")]
    [InlineData("5000:UDP", false, "", "5000/udp", "")]
    [InlineData("5000/udp", false, "", "5000/udp", "")]
    [InlineData("5000,5000,5001", false, "", "5000/tcp,5001/tcp", "")]
    [InlineData("1,65535", false, "", "1/tcp,65535/tcp", "")]
    [InlineData("", true, "ASPNETCORE_HTTP_PORTS=5000;5001", "5000/tcp,5001/tcp", "")]
    [InlineData("5000", true, "ASPNETCORE_HTTP_PORTS=5000", "5000/tcp", "")]
    [InlineData("53:udp", true, "ASPNETCORE_HTTP_PORTS=5000", "53/udp,5000/tcp", "")]
    [InlineData("6000", true, "ASPNETCORE_URLS=http://+:5000", "6000/tcp", "CSDK1020")]
    [InlineData("0", true, "", "8080/tcp", "CSDK1002")]
    [InlineData("65536", false, "", "", "CSDK1002")]
    [InlineData("80a", false, "", "", "CSDK1002")]
    [InlineData("123456", false, "", "", "CSDK1002")]
    [InlineData("5000:sctp", false, "", "", "CSDK1002")]
    [InlineData("5000,x", false, "", "5000/tcp", "CSDK1002")]
    public void Ports(string items, bool web, string environment, string expected, string codes)
    {
        var parsed = Parse(items, web, environment);
        parsed.Codes().ShouldBe(codes);
        string.Join(",", parsed.Value).ShouldBe(expected);
    }

    [Fact]
    public void A_bad_item_is_quoted_with_its_type() =>
        Parse("5000:sctp", false).Diagnostics.Single().Message.ShouldContain("5000 Type=sctp");
}
