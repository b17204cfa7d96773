using ContainerSdk.Images;

namespace ContainerSdk.Core.Tests;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", "mcr.microsoft.com", "dotnet/aspnet", "10.0-noble-chiseled", null)]
    [InlineData("nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", null, "nvidia/cuda", "13.0.1-cudnn-runtime-ubuntu24.04", null)]
    [InlineData("ubuntu", null, "ubuntu", null, null)]
    [InlineData("localhost:5000/team/app:v1", "localhost:5000", "team/app", "v1", null)]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000", "app", null, null)]
    [InlineData("localhost/app", "localhost", "app", null, null)]
    [InlineData("ghcr.io/org/my_app__x-y.z:1.2.3_rc", "ghcr.io", "org/my_app__x-y.z", "1.2.3_rc", null)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "mcr.microsoft.com", "dotnet/aspnet", "10.0", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Parses_valid_references(string text, string? registry, string repository, string? tag, string? digest)
    {
        ImageReference.TryParse(text, out var image).ShouldBeTrue();
        image!.Registry.ShouldBe(registry);
        image.Repository.ShouldBe(repository);
        image.Tag.ShouldBe(tag);
        image.Digest.ShouldBe(digest);
        image.ToString().ShouldBe(text);
        image.IsPinned.ShouldBe(digest is not null);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Ubuntu")]
    [InlineData("ubuntu:")]
    [InlineData("ubuntu:-bad")]
    [InlineData("ubuntu@sha256:short")]
    [InlineData("ubuntu\nRUN id")]
    [InlineData("ubuntu:latest\r\nUSER root")]
    [InlineData("ubuntu latest")]
    [InlineData("ubuntu:10.0 AS x")]
    [InlineData("a//b")]
    [InlineData("-a/b")]
    [InlineData("\"ubuntu\"")]
    [InlineData("ubuntu:$TAG")]
    [InlineData("ubuntu#x")]
    public void Rejects_invalid_references(string text) => ImageReference.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Rejects_overlong_reference() => ImageReference.TryParse(new string('a', 600), out _).ShouldBeFalse();
}
