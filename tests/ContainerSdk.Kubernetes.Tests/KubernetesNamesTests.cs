using ContainerSdk.Kubernetes;

namespace ContainerSdk.Kubernetes.Tests;

public class KubernetesNamesTests
{
    [Theory]
    [InlineData("My_Gpu.Service", "my-gpu-service")]
    [InlineData("my-org/My_Gpu.Service", "my-gpu-service")]
    [InlineData("ghcr.io/a/b/Inference", "inference")]
    [InlineData("--Weird__Name--", "weird-name")]
    [InlineData("3d.Model", "app-3d-model")]
    [InlineData("Ünïcode Sérvice", "n-code-s-rvice")]
    [InlineData("a", "a")]
    public void Project_names_become_DNS_1123_and_RFC_1035_labels(string source, string expected)
    {
        string name = KubernetesNames.FromProjectName(source)!;
        name.ShouldBe(expected);
        KubernetesNames.IsValidName(name).ShouldBeTrue();
    }

    [Fact]
    public void Long_names_are_cut_to_63_characters_and_never_end_in_a_dash()
    {
        string name = KubernetesNames.FromProjectName(new string('a', 62) + "_b" + new string('c', 20))!;
        name.Length.ShouldBeLessThanOrEqualTo(63);
        name.ShouldNotEndWith("-");
        KubernetesNames.IsValidName(name).ShouldBeTrue();
    }

    [Theory]
    [InlineData("___")]
    [InlineData("")]
    [InlineData("...")]
    [InlineData("_/_")]
    public void Names_without_a_letter_or_digit_cannot_be_made(string source) =>
        KubernetesNames.FromProjectName(source).ShouldBeNull();

    [Theory]
    [InlineData("1.0.0", "1.0.0")]
    [InlineData("1.0.0+sha.abc", "1.0.0_sha.abc")]
    [InlineData("-rc1-", "rc1")]
    [InlineData("", null)]
    public void Versions_become_label_values(string version, string? expected) =>
        KubernetesNames.LabelValueFrom(version).ShouldBe(expected);
}
