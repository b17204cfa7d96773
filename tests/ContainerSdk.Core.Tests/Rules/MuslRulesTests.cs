using ContainerSdk.Images;
using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class MuslRulesTests
{
    private static ImageReference Image(string text)
    {
        ImageReference.TryParse(text, out var image).ShouldBeTrue();
        return image!;
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0-alpine", true)]
    [InlineData("alpine:3.22", true)]
    [InlineData("registry.example/app:musl", true)]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine3.22", true)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", false)]
    [InlineData("nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", false)]
    public void Is_musl(string image, bool expected) => MuslRules.IsMusl(Image(image)).ShouldBe(expected);

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0-alpine", "Microsoft.ML.OnnxRuntime", "linux-x64,win-x64", "CSDK4003")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0-alpine", "Microsoft.ML.OnnxRuntime", null, "CSDK4003")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0-alpine", "Microsoft.ML.OnnxRuntime", "linux-musl-x64", "")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0-alpine", "Newtonsoft.Json", null, "")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", "Microsoft.ML.OnnxRuntime", "linux-x64", "")]
    public void Check(string image, string package, string? rids, string codes)
    {
        var natives = rids is null
            ? new Dictionary<string, IReadOnlyCollection<string>>()
            : new Dictionary<string, IReadOnlyCollection<string>> { [package] = rids.Split(',') };
        var found = MuslRules.Check([null, Image(image)], [new PackageInput(package, "1.31.0")], natives);
        string.Join(",", found.Select(d => d.Code)).ShouldBe(codes);
        found.ShouldAllBe(d => d.IsError);
    }
}
