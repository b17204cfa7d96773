using ContainerSdk.Parsing;

namespace ContainerSdk.Core.Tests;

public class DockerfileParserTests
{
    [Fact]
    public void Reads_instructions_continuations_and_comments()
    {
        const string text = "# syntax=docker/dockerfile:1\n\nFROM a AS b\nRUN --mount=type=cache,target=/x \\\n# inside\n    echo hi\nLABEL a=\"1\" \\\n    b=\"2\"\r\nuser 1654\n";
        var parsed = DockerfileParser.Parse(text);
        parsed.Select(p => p.Keyword).ShouldBe(["FROM", "RUN", "LABEL", "USER"]);
        parsed[1].Arguments.ShouldBe("--mount=type=cache,target=/x     echo hi");
        parsed[1].Line.ShouldBe(4);
        DockerfileParser.SplitFlags(parsed[1].Arguments).Flags.ShouldBe(["--mount=type=cache,target=/x"]);
        DockerfileParser.ParseKeyValues(parsed[2].Arguments)!.Select(kv => kv.Key + "=" + kv.Value).ShouldBe(["a=1", "b=2"]);
    }

    [Theory]
    [InlineData("[\"dotnet\", \"/app/App.dll\"]", new[] { "dotnet", "/app/App.dll" })]
    [InlineData("[]", new string[0])]
    [InlineData("[\"a\\\"b\", \"c\\\\d\", \"\\u0041\"]", new[] { "a\"b", "c\\d", "A" })]
    public void Reads_json_arrays(string text, string[] expected) => DockerfileParser.ParseJsonArray(text).ShouldBe(expected);

    [Theory]
    [InlineData("dotnet app.dll")]
    [InlineData("[\"a\"")]
    [InlineData("[\"a\" \"b\"]")]
    [InlineData("[\"a\"] x")]
    public void Shell_form_is_not_json(string text) => DockerfileParser.ParseJsonArray(text).ShouldBeNull();

    [Fact]
    public void Key_values_report_variable_expansion()
    {
        var pairs = DockerfileParser.ParseKeyValues("A=\"\\$HOME\" B=\"$HOME\" C=plain\\ word")!;
        pairs.Select(p => (p.Key, p.Value, p.ExpandsVariables)).ShouldBe([("A", "$HOME", false), ("B", "$HOME", true), ("C", "plain word", false)]);
        DockerfileParser.ParseKeyValues("A=\"unterminated").ShouldBeNull();
    }
}
