using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace ContainerSdk.Images;

/// <summary>One row of onnxruntime-cuda.tsv: the CUDA/cuDNN majors an ONNX Runtime GPU build needs.</summary>
public sealed record OrtCudaRequirement(Version From, Version? To, int CudaMajor, int CudnnMajor, string DefaultCudaVersion);

/// <summary>One row of dotnet-support.tsv. DefaultFamily is empty where the release has no chiseled images.</summary>
public sealed record DotnetRelease(int Major, bool Supported, string EndOfSupport, string DefaultFamily, string Channel)
{
    /// <summary>Releases before .NET 6: last official images only, no chiseled variant, no APP_UID, no `-a` option.</summary>
    public bool IsLegacy => Major < BaseImageCatalog.FirstModernMajor;

    /// <summary>The target framework moniker: netcoreapp3.1, net5.0, net10.0.</summary>
    public string Moniker => (Major < 5 ? "netcoreapp" : "net") + Channel;

    /// <summary>How people name it: .NET Core 3.1, .NET 5.</summary>
    public string DisplayName => Major < 5 ? ".NET Core " + Channel : ".NET " + Major;
}

/// <summary>One row of csharp-sdk.tsv: a C# language version and the oldest .NET SDK major that compiles it.</summary>
public sealed record LanguageVersionRequirement(int LanguageVersion, int MinSdkMajor);

/// <summary>One row of cuda-images.tsv: an nvidia/cuda cuDNN runtime image.</summary>
public sealed record CudaImage(Version CudaVersion, int CudnnMajor, int MinDriver, string Image);

/// <summary>
/// The versioned data that maps ONNX Runtime versions to CUDA base images. The data lives in Data/*.tsv (embedded);
/// this class only reads and queries it, so a new ORT or CUDA release is a data change, not a code change.
/// </summary>
public sealed class BaseImageCatalog
{
    private static readonly Lazy<BaseImageCatalog> Lazy = new(Load);
    private static readonly Regex CudaTag = new(@"^(?<ver>\d+\.\d+(?:\.\d+)?)-(?<rest>.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex CudnnInTag = new(@"(?:^|-)cudnn(?<major>\d*)(?:-|$)", RegexOptions.CultureInvariant);

    public static BaseImageCatalog Default => Lazy.Value;

    public IReadOnlyList<OrtCudaRequirement> OnnxRuntime { get; }

    public IReadOnlyList<CudaImage> CudaImages { get; }

    public IReadOnlyDictionary<int, IReadOnlyList<string>> CudaSonames { get; }

    public IReadOnlyDictionary<int, IReadOnlyList<string>> CudnnSonames { get; }

    public IReadOnlyList<DotnetRelease> DotnetReleases { get; init; } = [];

    public IReadOnlyList<LanguageVersionRequirement> LanguageVersions { get; init; } = [];

    /// <summary>The first .NET SDK with `dotnet publish -a` and the images with APP_UID (1654) and chiseled variants.</summary>
    public const int FirstModernMajor = 6;

    public DotnetRelease? FindDotnet(int major) => DotnetReleases.FirstOrDefault(r => r.Major == major);

    public DotnetRelease NewestSupportedDotnet => DotnetReleases.Where(r => r.Supported).OrderBy(r => r.Major).Last();

    /// <summary>The newest .NET release this package's data knows (what LangVersion latest/preview needs).</summary>
    public int NewestKnownDotnet => DotnetReleases.Max(r => r.Major);

    /// <summary>The oldest supported release newer than <paramref name="major"/>: the first step of an upgrade.</summary>
    public DotnetRelease FirstSupportedAfter(int major) =>
        DotnetReleases.Where(r => r.Supported && r.Major > major).OrderBy(r => r.Major).FirstOrDefault() ?? NewestSupportedDotnet;

    /// <summary>The image tag of a major: its channel (3.1, 5.0, 10.0), or M.0 for a release the data does not know.</summary>
    public string Channel(int major) => FindDotnet(major)?.Channel ?? major.ToString(CultureInfo.InvariantCulture) + ".0";

    public BaseImageCatalog(
        IReadOnlyList<OrtCudaRequirement> onnxRuntime,
        IReadOnlyList<CudaImage> cudaImages,
        IReadOnlyDictionary<int, IReadOnlyList<string>> cudaSonames,
        IReadOnlyDictionary<int, IReadOnlyList<string>> cudnnSonames)
    {
        OnnxRuntime = onnxRuntime;
        CudaImages = cudaImages;
        CudaSonames = cudaSonames;
        CudnnSonames = cudnnSonames;
    }

    public static string DotnetImage(string repository, int frameworkMajor, string family) =>
        string.Format(CultureInfo.InvariantCulture, "mcr.microsoft.com/dotnet/{0}:{1}.0{2}", repository, frameworkMajor,
            family.Length == 0 ? "" : "-" + family);

    public static string DotnetSdkImage(int frameworkMajor) =>
        string.Format(CultureInfo.InvariantCulture, "mcr.microsoft.com/dotnet/sdk:{0}.0", frameworkMajor);

    /// <summary>An image for a channel such as 3.1 or 10.0 (see <see cref="Channel"/>).</summary>
    public static string DotnetImage(string repository, string channel, string family) =>
        "mcr.microsoft.com/dotnet/" + repository + ":" + channel + (family.Length == 0 ? "" : "-" + family);

    /// <summary>The numeric part of a NuGet version (1.31.0-dev.1 → 1.31.0).</summary>
    public static Version? ParseNuGetVersion(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var core = text!.Split('-', '+')[0];
        var parts = core.Split('.');
        if (parts.Length < 2 || parts.Length > 4 || parts.Any(p => p.Length == 0 || !p.All(char.IsDigit)))
        {
            return null;
        }

        return Version.TryParse(parts.Length == 2 ? core + ".0" : core, out var version) ? version : null;
    }

    public OrtCudaRequirement? FindOnnxRuntime(Version ortVersion) =>
        OnnxRuntime.FirstOrDefault(r => Normalize(ortVersion) >= r.From && (r.To is null || Normalize(ortVersion) <= r.To));

    public CudaImage DefaultImage(OrtCudaRequirement requirement) =>
        FindCuda(requirement.DefaultCudaVersion)
        ?? throw new InvalidDataException($"cuda-images.tsv has no row for {requirement.DefaultCudaVersion}.");

    /// <summary>"13", "12.8" or "12.8.1": the newest known image whose version starts with what was asked.</summary>
    public CudaImage? FindCuda(string requested)
    {
        var parts = requested.Split('.');
        if (parts.Length is < 1 or > 3 || parts.Any(p => p.Length == 0 || p.Length > 4 || !p.All(c => c >= '0' && c <= '9')))
        {
            return null;
        }

        return CudaImages
            .Where(i => Matches(i.CudaVersion, parts))
            .OrderByDescending(i => i.CudaVersion)
            .FirstOrDefault();

        static bool Matches(Version v, string[] parts)
        {
            int[] have = { v.Major, v.Minor, v.Build };
            return parts.Select((p, i) => int.Parse(p, CultureInfo.InvariantCulture) == have[i]).All(b => b);
        }
    }

    public string KnownCudaVersions => string.Join(", ", CudaImages.Select(i => i.CudaVersion.ToString()));

    /// <summary>Reads CUDA and cuDNN facts from an nvidia/cuda tag such as 13.0.1-cudnn-runtime-ubuntu24.04.</summary>
    public static bool TryReadCudaTag(ImageReference image, out Version? cudaVersion, out int? cudnnMajor)
    {
        cudaVersion = null;
        cudnnMajor = null;
        if (image.Tag is null || !IsNvidiaCuda(image))
        {
            return false;
        }

        var match = CudaTag.Match(image.Tag);
        if (!match.Success || !Version.TryParse(match.Groups["ver"].Value, out cudaVersion))
        {
            return false;
        }

        var cudnn = CudnnInTag.Match(match.Groups["rest"].Value);
        if (cudnn.Success)
        {
            // "-cudnn-" without a number is cuDNN 9 (tags from CUDA 12.4 on).
            cudnnMajor = cudnn.Groups["major"].Value.Length > 0
                ? int.Parse(cudnn.Groups["major"].Value, CultureInfo.InvariantCulture)
                : 9;
        }

        return true;
    }

    public static bool IsNvidiaCuda(ImageReference image) =>
        image.Repository is "nvidia/cuda" or "library/nvidia/cuda" || image.Repository.EndsWith("/nvidia/cuda", StringComparison.Ordinal);

    private static Version Normalize(Version v) => new(v.Major, v.Minor, Math.Max(v.Build, 0));

    private static BaseImageCatalog Load()
    {
        var ort = ReadRows("onnxruntime-cuda.tsv")
            .Select(r => new OrtCudaRequirement(
                Version.Parse(r[0]),
                r[1] == "*" ? null : Version.Parse(r[1]),
                int.Parse(r[2], CultureInfo.InvariantCulture),
                int.Parse(r[3], CultureInfo.InvariantCulture),
                r[4]))
            .ToList();
        var images = ReadRows("cuda-images.tsv")
            .Select(r => new CudaImage(
                Version.Parse(r[0]),
                int.Parse(r[1], CultureInfo.InvariantCulture),
                int.Parse(r[2], CultureInfo.InvariantCulture),
                r[3]))
            .ToList();
        var cuda = new Dictionary<int, IReadOnlyList<string>>();
        var cudnn = new Dictionary<int, IReadOnlyList<string>>();
        foreach (var row in ReadRows("cuda-libraries.tsv"))
        {
            var names = row[1].Split(',');
            if (row[0].StartsWith("cudnn", StringComparison.Ordinal))
            {
                cudnn[int.Parse(row[0].Substring(5), CultureInfo.InvariantCulture)] = names;
            }
            else
            {
                cuda[int.Parse(row[0], CultureInfo.InvariantCulture)] = names;
            }
        }

        var dotnet = ReadRows("dotnet-support.tsv")
            .Select(r => new DotnetRelease(int.Parse(r[0], CultureInfo.InvariantCulture), r[1] == "true", r[2], r[3] == "-" ? "" : r[3], r[4]))
            .ToList();
        var languages = ReadRows("csharp-sdk.tsv")
            .Select(r => new LanguageVersionRequirement(int.Parse(r[0], CultureInfo.InvariantCulture), int.Parse(r[1], CultureInfo.InvariantCulture)))
            .OrderBy(r => r.LanguageVersion)
            .ToList();
        return new BaseImageCatalog(ort, images, cuda, cudnn) { DotnetReleases = dotnet, LanguageVersions = languages };
    }

    private static IEnumerable<string[]> ReadRows(string name)
    {
        using var stream = typeof(BaseImageCatalog).Assembly.GetManifestResourceStream("ContainerSdk.Data." + name)
            ?? throw new InvalidDataException($"Missing embedded data file {name}.");
        using var reader = new StreamReader(stream);
        var rows = new List<string[]>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            rows.Add(line.Split('\t'));
        }

        return rows;
    }
}
