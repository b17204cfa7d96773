using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ContainerSdk.Secrets;

namespace ContainerSdk.Images.Verification;

/// <summary>The user check: a non-root user (CSDK5010) that exists in the image's passwd and group (CSDK5011).</summary>
public static partial class ImageVerifier
{
    private static void CheckUser(ImageVerificationResult result, LayerWalk walk, ImageVerificationOptions options, List<ImageFinding> findings)
    {
        var spec = (result.User ?? "").Trim();
        var (user, group) = SplitUser(spec);
        var shown = spec.Length == 0 ? "(empty: root)" : "'" + SecretRedactor.Printable(spec, 120) + "'";
        var passwd = walk.Passwd;

        string? rootBecause = null;
        if (user.Length == 0)
        {
            result.ResolvedUid = "0";
            rootBecause = "";
        }
        else if (IsNumber(user))
        {
            result.ResolvedUid = user.TrimStart('0').Length == 0 ? "0" : user;
            rootBecause = result.ResolvedUid == "0" ? "" : null;
        }
        else if (user == "root")
        {
            result.ResolvedUid = "0";
            rootBecause = "";
        }
        else if (passwd.Content is not null && Lookup(passwd.Content, user) is { } uid)
        {
            result.ResolvedUid = uid;
            rootBecause = uid.TrimStart('0').Length == 0
                ? string.Format(CultureInfo.InvariantCulture, ", which /etc/passwd (from layer {0}) maps to uid 0", passwd.Layer)
                : null;
        }
        else if (!options.DisabledRules.Contains(UnknownUser))
        {
            var where = passwd.Content is null ? "the image has no /etc/passwd" : "/etc/passwd (from layer " + passwd.Layer.ToString(CultureInfo.InvariantCulture) + ") has no such user";
            findings.Add(new ImageFinding(UnknownUser, passwd.Content is null ? -1 : passwd.Layer, passwd.Content is null ? null : DigestOf(result, passwd.Layer), passwd.Content is null ? ConfigPrefix + "User" : "/etc/passwd", null,
                ImageMessages.Format(UnknownUser, "user '" + SecretRedactor.Printable(user, 120) + "'", where), false, 0));
        }

        if (rootBecause is not null && !options.DisabledRules.Contains(RootUser))
        {
            var fromPasswd = rootBecause.Length > 0;
            findings.Add(new ImageFinding(RootUser, fromPasswd ? passwd.Layer : -1, fromPasswd ? DigestOf(result, passwd.Layer) : null, fromPasswd ? "/etc/passwd" : ConfigPrefix + "User", null,
                ImageMessages.Format(RootUser, shown, rootBecause), false, 0));
        }

        if (group.Length > 0 && !IsNumber(group) && !options.DisabledRules.Contains(UnknownUser))
        {
            var groups = walk.Group;
            if (groups.Content is null || Lookup(groups.Content, group) is null)
            {
                var where = groups.Content is null ? "the image has no /etc/group" : "/etc/group (from layer " + groups.Layer.ToString(CultureInfo.InvariantCulture) + ") has no such group";
                findings.Add(new ImageFinding(UnknownUser, groups.Content is null ? -1 : groups.Layer, groups.Content is null ? null : DigestOf(result, groups.Layer), groups.Content is null ? ConfigPrefix + "User" : "/etc/group", null,
                    ImageMessages.Format(UnknownUser, "group '" + SecretRedactor.Printable(group, 120) + "'", where), false, 0));
            }
        }
    }

    /// <summary>A user or group given by name (other than root) must be looked up in the image's own account files.</summary>
    private static bool NeedsAccountFiles(string? spec)
    {
        var (user, group) = SplitUser(spec);
        return (user.Length > 0 && user != "root" && !IsNumber(user)) || (group.Length > 0 && !IsNumber(group));
    }

    /// <summary>USER is "user", "user:group", "uid" or "uid:gid".</summary>
    private static (string User, string Group) SplitUser(string? spec)
    {
        var text = (spec ?? "").Trim();
        var colon = text.IndexOf(':');
        return colon >= 0 ? (text.Substring(0, colon), text.Substring(colon + 1)) : (text, "");
    }

    private static string? DigestOf(ImageVerificationResult result, int layer) =>
        layer >= 0 && layer < result.LayerDigests.Count && result.LayerDigests[layer].Length > 0 ? result.LayerDigests[layer] : null;

    /// <summary>The id (third field) of NAME in passwd or group lines "name:x:id:...".</summary>
    private static string? Lookup(string content, string name)
    {
        foreach (var raw in content.Split('\n'))
        {
            var fields = raw.TrimEnd('\r').Split(':');
            if (fields.Length >= 3 && fields[0] == name && IsNumber(fields[2]))
            {
                return fields[2];
            }
        }

        return null;
    }

    private static bool IsNumber(string text) => text.Length > 0 && text.All(c => c is >= '0' and <= '9');


    /// <summary>An account file (/etc/passwd, /etc/group) as the merged file system sees it after all layers.</summary>
    internal readonly record struct AccountFile(string? Content, int Layer);
}
