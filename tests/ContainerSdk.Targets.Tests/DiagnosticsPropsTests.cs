using ContainerSdk.Diagnostics;

namespace ContainerSdk.Targets.Tests;

/// <summary>The diagnostics the targets raise themselves reach MSBuild from the catalog intact: the generated
/// build/ContainerSdk.Diagnostics.props escapes ; % $ @ and XML, and evaluation gives back the catalog's exact text.</summary>
public class DiagnosticsPropsTests
{
    [Theory]
    [InlineData("CSDK2012")]
    [InlineData("CSDK2016")]
    public void Evaluation_gives_the_catalog_text_code_and_help_link(string code)
    {
        using var project = new SyntheticProject();
        var evaluated = project.Evaluate();

        evaluated.GetPropertyValue($"_ContainerSdk{code}Code").ShouldBe(code);
        evaluated.GetPropertyValue($"_ContainerSdk{code}Text").ShouldBe(Messages.Entry(code).Format);
        evaluated.GetPropertyValue($"_ContainerSdk{code}HelpLink").ShouldBe(string.Format(HelpLinks.Format, code));
    }
}
