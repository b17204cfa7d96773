using ContainerSdk.Generation;
using ContainerSdk.Model;
using ContainerSdk.Parsing;

namespace ContainerSdk.Core.Tests;

/// <summary>
/// Every project value that reaches the Dockerfile, fed hostile text: the value is either rejected with a CSDK code
/// (and nothing is generated) or it comes back verbatim from a Dockerfile parse whose instruction list is exactly the
/// benign one. No value can add, remove or change an instruction, or expand a variable.
/// </summary>
public class InjectionTests
{
    public static readonly string[] HostileValues =
    [
        "a\nRUN id",
        "a\rUSER 0",
        "a\r\nUSER 0",
        "a\u2028USER 0",
        "a\u2029USER 0",
        "a\u0085USER 0",
        "a\u000bb",
        "a\u0000b",
        "\"; USER 0 #",
        "x\" \\\nUSER 0",
        "back\\slash\\",
        "\\",
        "$HOME ${PATH} $(id) `id`",
        "# not a comment",
        "<<EOF\nRUN id\nEOF",
        "<<EOF",
        "\\\nUSER 0",
        "quote\"inside'single'",
        "tab\there",
        "&& rm -rf / ; echo",
        "ENV X=1",
        "\"]\nUSER 0\n[\"",
        "日本語 🎉 ünïcödé",
        new string('x', 5000),
        new string('$', 300),
    ];

    private static readonly (string Name, Func<ContainerInputs, string, ContainerInputs> Apply, string? Expect, string Benign)[] Fields =
    [
        ("Title", (i, v) => i with { Title = v }, "org.opencontainers.image.title", "benign"),
        ("Version", (i, v) => i with { Version = v }, "org.opencontainers.image.version", "benign"),
        ("Description", (i, v) => i with { Description = v }, "org.opencontainers.image.description", "benign"),
        ("Authors", (i, v) => i with { Authors = v }, "org.opencontainers.image.authors", "benign"),
        ("SourceUrl", (i, v) => i with { SourceUrl = v }, "org.opencontainers.image.source", "benign"),
        ("ContainerLabel value", (i, v) => i with { Labels = [new NameValue("com.example.x", v)] }, "com.example.x", "benign"),
        ("ContainerLabel name", (i, v) => i with { Labels = [new NameValue(v, "x")] }, null, "com.example.benign"),
        ("ContainerEnvironmentVariable value", (i, v) => i with { EnvironmentVariables = [new NameValue("MY_VAR", v)] }, "MY_VAR", "benign"),
        ("ContainerEnvironmentVariable name", (i, v) => i with { EnvironmentVariables = [new NameValue(v, "x")] }, null, "BENIGN"),
        ("ContainerAppCommandArgs", (i, v) => i with { AppCommandArgs = [v] }, "ENTRYPOINT", "benign"),
        ("ContainerDefaultArgs", (i, v) => i with { DefaultArgs = [v] }, "CMD", "benign"),
        ("ContainerUser", (i, v) => i with { User = v }, null, "1000"),
        ("ContainerWorkingDirectory", (i, v) => i with { WorkingDirectory = v }, null, "/srv/app"),
        ("ContainerFamily", (i, v) => i with { Family = v }, null, "noble"),
        ("ContainerBaseImage", (i, v) => i with { BaseImage = v }, null, "mcr.microsoft.com/dotnet/aspnet:10.0"),
        ("ContainerSdkImage", (i, v) => i with { SdkImage = v }, null, "mcr.microsoft.com/dotnet/sdk:10.0"),
        ("ContainerAccelerator", (i, v) => i with { Accelerator = v }, null, "cpu"),
        ("ContainerCudaVersion", (i, v) => SpecValidationTests.Gpu() with { CudaVersion = v }, null, "13.0"),
        ("ContainerPort", (i, v) => i with { Ports = [new PortInput(v, null)] }, null, "9090"),
        ("ContainerPort Type", (i, v) => i with { Ports = [new PortInput("8080", v)] }, null, "udp"),
        ("ContainerConfiguration", (i, v) => i with { Configuration = v }, null, "Debug"),
        ("ContainerAllowRootUser", (i, v) => i with { AllowRootUser = v }, null, "false"),
        ("AssemblyName", (i, v) => i with { AssemblyName = v }, null, "benign"),
        ("TargetFrameworkVersion", (i, v) => i with { TargetFrameworkVersion = v }, null, "v9.0"),
        ("ContainerTargetFramework (multi-targeting)", (i, v) => i with { PublishFramework = v }, null, "net10.0"),
        ("ContainerModel ContainerPath", (i, v) => i with { Models = [new ModelInput(TestInputs.P("m/model.onnx"), v)] }, null, "/opt/model.onnx"),
        ("ContainerModel file", (i, v) => i with { Models = [new ModelInput(Path.Combine(TestInputs.Context, v, "model.onnx"), null)] }, null, "benign"),
        ("ContainerModelDirectory", (i, v) => i with { Models = [new ModelInput(TestInputs.P("m/model.onnx"), null)], ModelDirectory = v }, null, "/srv/models"),
        ("ContainerHealthCheckPath", (i, v) => i with { HealthCheckPath = v }, null, "/v2/health/ready"),
        ("Project folder", (i, v) => i with { ProjectPath = Path.Combine(TestInputs.Context, v, "App.csproj"), RestoreInputs = [] }, null, "benign"),
        ("Restore input", (i, v) => i with { RestoreInputs = [Path.Combine(TestInputs.Context, v, "Directory.Build.props")] }, null, "benign"),
    ];

    public static IEnumerable<object[]> Cases() =>
        from field in Enumerable.Range(0, Fields.Length)
        from value in Enumerable.Range(0, HostileValues.Length)
        select new object[] { Fields[field].Name, value };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_value_is_rejected_or_inert(string field, int valueIndex)
    {
        var (_, apply, expect, benignValue) = Fields.Single(f => f.Name == field);
        var value = HostileValues[valueIndex];
        var benign = Render(apply(TestInputs.Web(), benignValue));
        var result = DockerfileGenerator.Generate(apply(TestInputs.Web(), value));

        if (!result.Succeeded)
        {
            result.Dockerfile.ShouldBeNull();
            result.IgnoreFile.ShouldBeNull();
            result.Diagnostics.ShouldContain(d => d.IsError && (d.Code.StartsWith("CSDK1", StringComparison.Ordinal) || d.Code.StartsWith("CSDK2", StringComparison.Ordinal)));
            foreach (var d in result.Diagnostics)
            {
                ValueRulesHaveNoControlCharacters(d.Message);
            }

            return;
        }

        var parsed = DockerfileParser.Parse(result.Dockerfile!);
        parsed.Select(p => p.Keyword).ShouldBe(DockerfileParser.Parse(benign).Select(p => p.Keyword), $"{field} changed the instruction list");
        foreach (var instruction in parsed)
        {
            CheckInert(instruction);
        }

        if (expect is "ENTRYPOINT" or "CMD")
        {
            DockerfileParser.ParseJsonArray(parsed.Single(p => p.Keyword == expect).Arguments)!.ShouldContain(value);
        }
        else if (expect is not null)
        {
            var pair = parsed.Where(p => p.Keyword is "ENV" or "LABEL")
                .SelectMany(p => DockerfileParser.ParseKeyValues(p.Arguments)!)
                .Single(kv => kv.Key == expect);
            // Prose metadata (Title, Description, Authors) is made fit for a label instead of refused: one line, capped.
            var expected = field is "Title" or "Description" or "Authors" ? Text.LabelText.Normalize(field, expect, value, []) : value;
            pair.Value.ShouldBe(expected);
            pair.ExpandsVariables.ShouldBeFalse();
        }
    }

    [Fact]
    public void Every_case_either_rejects_or_round_trips_and_some_of_each_happen()
    {
        var outcomes = Fields.SelectMany(f => HostileValues.Select(v => DockerfileGenerator.Generate(f.Apply(TestInputs.Web(), v)).Succeeded)).ToList();
        outcomes.ShouldContain(true);
        outcomes.ShouldContain(false);
    }

    private static string Render(ContainerInputs inputs)
    {
        var result = DockerfileGenerator.Generate(inputs);
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        return result.Dockerfile!;
    }

    private static void CheckInert(ParsedInstruction instruction)
    {
        switch (instruction.Keyword)
        {
            case "ENV":
            case "LABEL":
                var pairs = DockerfileParser.ParseKeyValues(instruction.Arguments);
                pairs.ShouldNotBeNull(instruction.Arguments);
                foreach (var pair in pairs!.Where(p => p.ExpandsVariables))
                {
                    // The only expansions ContainerSdk writes itself: build arguments CI sets.
                    pair.Value.ShouldBeOneOf("${SOURCE_REVISION}", "${IMAGE_CREATED}");
                }

                break;
            case "ENTRYPOINT":
            case "CMD":
                DockerfileParser.ParseJsonArray(instruction.Arguments).ShouldNotBeNull(instruction.Arguments);
                break;
            case "COPY":
                var (_, rest) = DockerfileParser.SplitFlags(instruction.Arguments);
                if (rest != ". .")
                {
                    DockerfileParser.ParseJsonArray(rest).ShouldNotBeNull(rest);
                }

                break;
        }
    }

    private static void ValueRulesHaveNoControlCharacters(string message) =>
        Text.ValueRules.HasControlCharacter(message).ShouldBeFalse(message);
}
