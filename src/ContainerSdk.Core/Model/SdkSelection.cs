using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.Text;

namespace ContainerSdk.Model;

/// <summary>The build stage's SDK: its major, its image tag (channel) and, when more than the framework decided it, why.</summary>
public sealed record SdkChoice(int Major, string Channel, string? Why);

/// <summary>
/// Chooses the build stage's SDK from the repository alone, so the same files give the same Dockerfile everywhere: the
/// highest of every target framework's major, the SDK global.json asks for (within what its rollForward allows) and the
/// oldest SDK whose compiler knows the project's LangVersion (csharp-sdk.tsv).
/// </summary>
public static class SdkSelection
{
    private static readonly Regex FrameworkMoniker = new(@"^net(?:coreapp)?(?<major>\d+)\.(?<minor>\d+)(?:-.*)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly Regex NumericLanguageVersion = new(@"^(?<major>\d{1,3})(?:\.\d{1,3})?$", RegexOptions.CultureInvariant);
    private static readonly Regex SdkTag = new(@"^(?<major>\d+)\.\d+", RegexOptions.CultureInvariant);

    /// <summary>global.json rollForward values that stay on the requested SDK's major (dotnet's default is latestPatch).</summary>
    private static readonly string[] SameMajorPolicies = ["disable", "patch", "latestPatch", "feature", "latestFeature", "minor", "latestMinor"];

    private static readonly string[] AnyMajorPolicies = ["major", "latestMajor"];

    /// <summary>The .NET major a framework moniker targets (net8.0 → 8, netcoreapp3.1 → 3), or null (net48, netstandard2.0).</summary>
    public static int? FrameworkMajor(string moniker)
    {
        var match = FrameworkMoniker.Match(moniker.Trim());
        if (!match.Success)
        {
            return null;
        }

        int major = int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
        // net4x monikers have no dot; "net" with a dot is .NET 5 or later, "netcoreapp" is 1.0-3.1.
        return moniker.Trim().StartsWith("netcoreapp", StringComparison.OrdinalIgnoreCase) || major >= 5 ? major : null;
    }

    /// <summary>The oldest SDK major whose compiler knows <paramref name="langVersion"/>; null when any SDK will do.
    /// <paramref name="unknown"/> is set for a numeric version newer than the table.</summary>
    public static int? LanguageVersionMinimumSdk(string? langVersion, BaseImageCatalog catalog, out bool unknown)
    {
        unknown = false;
        var text = (langVersion ?? "").Trim();
        if (text.Length == 0 || text.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (text.Equals("latest", StringComparison.OrdinalIgnoreCase) || text.Equals("latestMajor", StringComparison.OrdinalIgnoreCase)
            || text.Equals("preview", StringComparison.OrdinalIgnoreCase))
        {
            return catalog.NewestKnownDotnet;
        }

        var match = NumericLanguageVersion.Match(text);
        if (!match.Success || catalog.LanguageVersions.Count == 0)
        {
            // ISO-1, 7.3 and such: older than anything the table constrains, or not C# at all; the compiler reports it.
            return null;
        }

        int version = int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
        var row = catalog.LanguageVersions.FirstOrDefault(r => r.LanguageVersion == version);
        if (row is not null)
        {
            return row.MinSdkMajor;
        }

        unknown = version > catalog.LanguageVersions[catalog.LanguageVersions.Count - 1].LanguageVersion;
        return null;
    }

    public static SdkChoice? Choose(ContainerInputs inputs, int runtimeMajor, BaseImageCatalog catalog, List<ContainerDiagnostic> diagnostics)
    {
        // What the project needs: every framework it builds, and the compiler for its LangVersion.
        var needs = new List<(int Major, string What)>();
        var frameworks = (inputs.TargetFrameworks ?? "").Split([';'], StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Trim())
            .Where(f => f.Length > 0)
            .Select(f => (Major: FrameworkMajor(f), Moniker: f))
            .Where(f => f.Major is not null)
            .Select(f => (f.Major!.Value, f.Moniker))
            .Distinct()
            .ToList();
        if (frameworks.Count == 0)
        {
            needs.Add((runtimeMajor, catalog.FindDotnet(runtimeMajor)?.Moniker ?? "net" + runtimeMajor + ".0"));
        }

        needs.AddRange(frameworks);
        var language = LanguageVersionMinimumSdk(inputs.LangVersion, catalog, out bool unknownLanguage);
        if (unknownLanguage && string.IsNullOrWhiteSpace(inputs.SdkImage))
        {
            var newest = catalog.LanguageVersions[catalog.LanguageVersions.Count - 1];
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1026", ValueRules.Printable(inputs.LangVersion!.Trim()), newest.LanguageVersion, newest.MinSdkMajor));
            return null;
        }

        if (language is not null)
        {
            needs.Add((language.Value, "LangVersion " + inputs.LangVersion!.Trim()));
        }

        var need = needs.OrderByDescending(n => n.Major).First();
        // Only what raises the SDK above the runtime framework's explains the choice; the SDK's own default LangVersion
        // for that framework (14.0 for net10.0) does not.
        var considered = new List<string>(needs.Where(n => n.Major > runtimeMajor).Select(n => n.What + " needs SDK " + n.Major));

        if (!string.IsNullOrWhiteSpace(inputs.SdkImage))
        {
            // ContainerSdkImage overrides the choice; a .NET SDK image whose tag says its major is still checked.
            if (ImageReference.TryParse(inputs.SdkImage!.Trim(), out var image) && image!.Repository.EndsWith("dotnet/sdk", StringComparison.Ordinal)
                && image.Tag is not null && SdkTag.Match(image.Tag) is { Success: true } tag)
            {
                int major = int.Parse(tag.Groups["major"].Value, CultureInfo.InvariantCulture);
                if (major < need.Major)
                {
                    diagnostics.Add(ContainerDiagnostic.Create("CSDK1027", ValueRules.Printable(inputs.SdkImage.Trim()), major, need.What, need.Major, catalog.Channel(need.Major)));
                    return null;
                }

                return new SdkChoice(major, catalog.Channel(major), null);
            }

            // Another image: assume it is the SDK the project needs (the publish options follow that major).
            return new SdkChoice(need.Major, catalog.Channel(need.Major), null);
        }

        int chosen = need.Major;
        if (!string.IsNullOrWhiteSpace(inputs.GlobalJsonSdkVersion))
        {
            var file = ValueRules.Printable(string.IsNullOrEmpty(inputs.GlobalJsonPath) ? "global.json" : inputs.GlobalJsonPath!);
            var version = BaseImageCatalog.ParseNuGetVersion(inputs.GlobalJsonSdkVersion!.Trim());
            var rollForward = string.IsNullOrWhiteSpace(inputs.GlobalJsonRollForward) ? "latestPatch" : inputs.GlobalJsonRollForward!.Trim();
            var policy = SameMajorPolicies.Concat(AnyMajorPolicies).FirstOrDefault(p => p.Equals(rollForward, StringComparison.OrdinalIgnoreCase));
            if (version is null || version.Major < 1)
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1028", file, "version", ValueRules.Printable(inputs.GlobalJsonSdkVersion.Trim())));
            }
            else if (policy is null)
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1028", file, "rollForward", ValueRules.Printable(rollForward)));
            }
            else
            {
                var what = "global.json " + inputs.GlobalJsonSdkVersion.Trim() + " (rollForward " + policy + ")";
                if (version.Major > runtimeMajor)
                {
                    considered.Add(what + " asks for SDK " + version.Major);
                }

                if (SameMajorPolicies.Contains(policy) && need.Major > version.Major)
                {
                    diagnostics.Add(ContainerDiagnostic.Create("CSDK1025", file, inputs.GlobalJsonSdkVersion.Trim(), policy, version.Major, need.What, need.Major));
                    return null;
                }

                if (policy is "disable" or "patch" or "latestPatch")
                {
                    // The sdk:M.0 image carries one SDK, of that release's newest feature band: an older band is not
                    // in it, and these policies never leave their band, so dotnet in the image may find no SDK.
                    var band = string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}xx", version.Major, version.Minor, Math.Max(version.Build, 0) / 100);
                    diagnostics.Add(ContainerDiagnostic.Create("CSDK1029", file, inputs.GlobalJsonSdkVersion.Trim(), policy, band, BaseImageCatalog.DotnetImage("sdk", catalog.Channel(version.Major), "")));
                }

                // A global.json that stays on its major pins it; one that may roll to any major only sets a floor.
                chosen = SameMajorPolicies.Contains(policy) ? version.Major : Math.Max(chosen, version.Major);
            }
        }

        string? why = chosen != runtimeMajor && considered.Count > 0
            ? string.Format(CultureInfo.InvariantCulture, "The .NET {0} SDK, not {1}'s: {2}.", chosen, catalog.FindDotnet(runtimeMajor)?.Moniker ?? "net" + runtimeMajor + ".0", string.Join(", ", considered))
            : null;
        return new SdkChoice(chosen, catalog.Channel(chosen), why);
    }
}
