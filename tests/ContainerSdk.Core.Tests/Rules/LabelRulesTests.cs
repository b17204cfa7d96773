using ContainerSdk.Images;
using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class LabelRulesTests
{
    private static readonly LabelRules.Metadata App = new("App", Title: null, Version: "1.0.0", Description: null, Authors: "App", SourceUrl: null);

    private static string Render(List<NameValue> labels) => string.Join(" ", labels.Select(l => l.Name + "=" + l.Value));

    [Theory]
    [InlineData("", "org.opencontainers.image.title=App org.opencontainers.image.version=1.0.0", "")]
    [InlineData("team=ml", "org.opencontainers.image.title=App org.opencontainers.image.version=1.0.0 team=ml", "")]
    [InlineData("com.example/a_b-c.d=1", "org.opencontainers.image.title=App org.opencontainers.image.version=1.0.0 com.example/a_b-c.d=1", "")]
    [InlineData("org.opencontainers.image.version=2", "org.opencontainers.image.title=App org.opencontainers.image.version=2", "")]
    [InlineData(".hidden=1", "org.opencontainers.image.title=App org.opencontainers.image.version=1.0.0", "CSDK1010")]
    [InlineData("a b=1", "org.opencontainers.image.title=App org.opencontainers.image.version=1.0.0", "CSDK1010")]
    [InlineData("a=x\ny", "org.opencontainers.image.title=App org.opencontainers.image.version=1.0.0", "CSDK1008")]
    public void Labels(string label, string expected, string codes)
    {
        var labels = RuleAssertions.Items(label);
        var parsed = LabelRules.Parse(App, runtimeImage: null, labels);
        parsed.Codes().ShouldBe(codes);
        Render(parsed.Value).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Me", "Me")]
    [InlineData("App", null)]
    public void Authors_equal_to_the_assembly_name_say_nothing(string authors, string? expected)
    {
        var labels = LabelRules.Parse(App with { Version = null, Authors = authors }, null, []).Value;
        labels.SingleOrDefault(l => l.Name == "org.opencontainers.image.authors")?.Value.ShouldBe(expected);
        labels.Any(l => l.Name == "org.opencontainers.image.authors").ShouldBe(expected is not null);
    }

    [Fact]
    public void The_base_image_is_named()
    {
        ImageReference.TryParse("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", out var image).ShouldBeTrue();
        LabelRules.Parse(App, image, []).Value.Last().ShouldBe(new NameValue("org.opencontainers.image.base.name", "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled"));
    }

    [Fact]
    public void A_multi_line_description_is_made_one_line() =>
        LabelRules.Parse(App with { Description = "one\n  two" }, null, []).Value
            .Single(l => l.Name == "org.opencontainers.image.description").Value.ShouldBe("one two");
}
