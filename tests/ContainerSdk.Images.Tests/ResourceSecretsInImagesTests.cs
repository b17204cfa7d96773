using ContainerSdk.Tests.Resources;
using ContainerSdk.Tests.SecretCorpus;
using ContainerSdk.Images.Verification;

namespace ContainerSdk.Images.Tests;

/// <summary>Image verification reads compiled .resx files (.resources streams) of the assemblies in a layer.</summary>
public class ResourceSecretsInImagesTests
{
    private static readonly CorpusRandom R = new(1414);

    [Fact]
    public void Image_verification_reads_the_same_resources()
    {
        var token = "gh" + "p_" + R.Alnum(36);
        var strings = TestResources.Resources(w => w.AddResource("GitHubToken", token));
        using var image = new TestImage();
        image.Layer().File("app/Lib.dll", TestResources.Assembly("Lib", ("Lib.Strings.resources", strings)));
        var options = new ImageVerificationOptions { CheckUser = false, CheckEntrypoint = false };
        var result = ImageVerifier.Verify(image.Save(ImageFormat.OciArchive), options);
        var finding = result.Findings.Single(f => f.Path == "/app/Lib.dll");
        finding.RuleId.ShouldBe("CSDK3203");
        finding.Message.ShouldContain("resource 'GitHubToken' in 'Lib.Strings.resources'");
        finding.Message.ShouldNotContain(token);
    }
}
