using ContainerSdk.Images.Building;

namespace ContainerSdk.Images.Tests.Building;

public sealed class SourceMetadataTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("1700000000", "1700000000")]
    [InlineData(" 1700000000 ", "1700000000")]
    [InlineData("0001700000000", "1700000000")]
    [InlineData("253402300799", "253402300799")]
    public void Whole_seconds_since_1970_are_a_timestamp(string value, string expected)
    {
        SourceMetadata.TryParseEpoch(value, out string? seconds).ShouldBeTrue();
        seconds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.5")]
    [InlineData("2023-11-14")]
    [InlineData("1 700")]
    [InlineData("253402300800")]
    [InlineData("99999999999999999999")]
    public void Anything_else_is_not(string value) => SourceMetadata.TryParseEpoch(value, out _).ShouldBeFalse();

    [Fact]
    public void A_given_but_unusable_timestamp_is_a_CSDK5015_warning_and_no_timestamp()
    {
        var warnings = new List<ContainerSdk.Diagnostics.ContainerDiagnostic>();
        new SourceMetadata(Path.GetTempPath()).ResolveSourceDateEpoch("yesterday", warnings.Add).ShouldBeNull();
        var warning = warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe("CSDK5015");
        warning.IsError.ShouldBeFalse();
        warning.Message.ShouldContain("ContainerSourceDateEpoch");
    }

    [Fact]
    public void The_property_wins_over_git()
    {
        var metadata = new SourceMetadata(Path.GetTempPath());
        metadata.ResolveSourceDateEpoch("1700000000", _ => throw new InvalidOperationException()).ShouldBe("1700000000");
        metadata.ResolveRevision(" abc ").ShouldBe("abc");
    }

    [Fact]
    public void Timestamp_and_revision_become_build_arguments_and_labels_under_the_Dockerfile_names()
    {
        var (buildArgs, labels) = SourceMetadata.Arguments("1700000000", "0123456789abcdef0123456789abcdef01234567");
        buildArgs.ShouldBe([
            new(ContainerDefaults.SourceDateEpochBuildArg, "1700000000"),
            new("IMAGE_CREATED", "2023-11-14T22:13:20Z"),
            new("SOURCE_REVISION", "0123456789abcdef0123456789abcdef01234567"),
        ]);
        labels.ShouldBe([
            new("org.opencontainers.image.created", "2023-11-14T22:13:20Z"),
            new("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567"),
        ]);
        SourceMetadata.Arguments(null, null).BuildArgs.ShouldBeEmpty();
    }
}
