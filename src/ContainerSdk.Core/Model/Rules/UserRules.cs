using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>ContainerUser and ContainerAllowRootUser: a numeric <c>uid:gid</c>, never root unless allowed
/// (CSDK1003, CSDK1004). Shared with the Kubernetes manifests.</summary>
public static class UserRules
{
    private static readonly Regex UserPattern = new(@"^(?<uid>\d{1,10})(?::(?<gid>\d{1,10}))?$", RegexOptions.CultureInvariant);

    /// <returns>The user as <c>uid:gid</c> (root as <c>0:…</c> when allowed); on an error, the value as given.</returns>
    public static Parsed<string> Parse(string? value, bool allowRoot)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var user = string.IsNullOrWhiteSpace(value) ? ContainerDefaults.User : value!.Trim();
        if (string.Equals(user, "root", StringComparison.Ordinal) || user.StartsWith("root:", StringComparison.Ordinal))
        {
            if (allowRoot)
            {
                return Parsed.Of(user.Length > 4 ? "0" + user.Substring(4) : "0:0", diagnostics);
            }

            diagnostics.Add(ContainerDiagnostic.Create("CSDK1004", user));
            return Parsed.Of(user, diagnostics);
        }

        var match = UserPattern.Match(user);
        if (!match.Success
            || !uint.TryParse(match.Groups["uid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || (match.Groups["gid"].Success && !uint.TryParse(match.Groups["gid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1003", ValueRules.Printable(user)));
            return Parsed.Of(user, diagnostics);
        }

        if (uid == 0 && !allowRoot)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1004", user));
        }

        // Without a group, an image with no passwd entry for the UID (CUDA bases) runs it in group 0 (root), which
        // can write every group-writable root file. The group defaults to the UID, as the .NET images' app:app.
        return Parsed.Of(match.Groups["gid"].Success ? user : user + ":" + user, diagnostics);
    }
}
