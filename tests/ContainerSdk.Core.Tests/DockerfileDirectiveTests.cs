using ContainerSdk.Generation;

namespace ContainerSdk.Core.Tests;

/// <summary>
/// A parser directive (`# syntax=…`, `# escape=…`, `# check=…`) at the top of the file changes how BuildKit reads it;
/// `# syntax=` makes it pull a frontend image from Docker Hub before the first instruction, so an offline build fails.
/// The generated files carry none: only comment lines that BuildKit's directive grammar (`# key=value`) cannot match.
/// </summary>
public class DockerfileDirectiveTests
{
    [Theory]
    [MemberData(nameof(GoldenDockerfileTests.Matrix), MemberType = typeof(GoldenDockerfileTests))]
    public void The_generated_Dockerfile_has_no_parser_directive(string kind, string accelerator, string deployment, string graph)
    {
        var result = DockerfileGenerator.Generate(GoldenDockerfileTests.Inputs(kind, accelerator, deployment, graph, TestInputs.Context));
        result.Succeeded.ShouldBeTrue();
        foreach (string line in result.Dockerfile!.Split('\n').TakeWhile(l => l.StartsWith('#')))
        {
            System.Text.RegularExpressions.Regex.IsMatch(line, @"^#\s*[a-zA-Z][a-zA-Z0-9]*\s*=").ShouldBeFalse(line);
        }

        result.Dockerfile.ShouldNotContain("docker/dockerfile");
    }
}
