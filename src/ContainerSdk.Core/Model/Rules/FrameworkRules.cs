using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>The target framework the image runs (CSDK1012), whether its images are still supported (CSDK2011,
/// CSDK2020), and the framework a multi-targeted project's publish selects (CSDK1012).</summary>
public static class FrameworkRules
{
    private static readonly Regex FrameworkPattern = new("^net(?:coreapp)?[0-9]+[.][0-9]+(?:-[a-z0-9.]+)?$", RegexOptions.CultureInvariant);

    /// <param name="identifier">$(TargetFrameworkIdentifier): only .NETCoreApp has container images.</param>
    /// <param name="version">$(TargetFrameworkVersion), e.g. v10.0.</param>
    /// <returns>The major version; 0 after an error.</returns>
    public static Parsed<int> ParseTarget(string identifier, string? version, BaseImageCatalog catalog)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var text = (version ?? "").TrimStart('v', 'V');
        if (identifier == ".NETCoreApp"
            && Version.TryParse(text.IndexOf('.') < 0 ? text + ".0" : text, out var parsed))
        {
            // Legacy releases are taken only in the version their last images were published for (3.1, not 3.0).
            var release = catalog.FindDotnet(parsed.Major);
            if (parsed.Major >= BaseImageCatalog.FirstModernMajor
                || (release is { IsLegacy: true } && release.Channel == parsed.Major.ToString(CultureInfo.InvariantCulture) + "." + parsed.Minor.ToString(CultureInfo.InvariantCulture)))
            {
                return Parsed.Of(parsed.Major, diagnostics);
            }
        }

        diagnostics.Add(ContainerDiagnostic.Create("CSDK1012", ValueRules.Printable(identifier + ",Version=" + version)));
        return Parsed.Of(0, diagnostics);
    }

    /// <summary>Warns about a release past its end of support: CSDK2020 for the legacy ones (last images only),
    /// CSDK2011 for the others.</summary>
    /// <param name="runtimeRepository">aspnet, runtime or runtime-deps: the legacy image the warning names.</param>
    /// <returns>The catalog's row for the release, null when it does not know it.</returns>
    public static Parsed<DotnetRelease?> CheckSupport(int major, string runtimeRepository, BaseImageCatalog catalog)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var release = catalog.FindDotnet(major);
        if (release is { IsLegacy: true })
        {
            var next = catalog.FirstSupportedAfter(release.Major);
            var legacyImage = BaseImageCatalog.DotnetImage(runtimeRepository, release.Channel, "");
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2020", release.DisplayName, release.Moniker, release.EndOfSupport, legacyImage, next.DisplayName, next.Moniker));
        }
        else if (release is { Supported: false })
        {
            var newest = catalog.NewestSupportedDotnet;
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2011", release.Major, release.EndOfSupport, ".NET " + newest.Major, newest.Major));
        }

        return Parsed.Of(release, diagnostics);
    }

    /// <param name="value">ContainerTargetFramework (the -f of the image's publish); empty: none.</param>
    public static Parsed<string?> ParsePublishFramework(string? value)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        string? framework = string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        if (framework is not null && !FrameworkPattern.IsMatch(framework))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1012", ValueRules.Printable(framework)));
        }

        return Parsed.Of(framework, diagnostics);
    }
}
