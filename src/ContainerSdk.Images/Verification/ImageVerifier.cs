using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ContainerSdk.Secrets;

namespace ContainerSdk.Images.Verification;

public sealed class ImageVerificationOptions
{
    /// <summary>CSDK5010/CSDK5011: the image must run as a non-root user that exists.</summary>
    public bool CheckUser { get; set; } = true;

    /// <summary>CSDK5012: the image must have an entrypoint or a command.</summary>
    public bool CheckEntrypoint { get; set; } = true;

    /// <summary>CSDK5013: no file of any layer, and no Env or Labels entry of the config, may hold a secret.</summary>
    public bool CheckSecrets { get; set; } = true;

    /// <summary>Text files are read up to this many bytes (the publish scan's ContainerSecretsMaxFileSizeMB).</summary>
    public long MaxTextBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Secret rule ids (CSDK3xxx) and image codes (CSDK501x) that are not reported.</summary>
    public ISet<string> DisabledRules { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Accepted secret fingerprints (the publish scan's baseline file).</summary>
    public SecretBaseline? Baseline { get; set; }
}

/// <param name="Code">CSDK5010–CSDK5013.</param>
/// <param name="LayerIndex">0-based index into the image's layers (0 is the base image's first layer, as in the
/// manifest and <see cref="ImageVerificationResult.LayerDigests"/>); -1 for the image config (user, entrypoint, Env, Labels).</param>
/// <param name="Path">The path in the image (/app/.env), or config:User, config:Entrypoint, config:Env, config:Labels.</param>
/// <param name="RuleId">The secret rule (CSDK3xxx) for CSDK5013, else null.</param>
/// <param name="Message">The whole message, starting with the code. It never holds a secret, only a redacted hint.</param>
/// <param name="DeletedInLaterLayer">The file is deleted (whiteout) or replaced by a later layer: gone from the
/// container's file system, still in the image that every pull downloads.</param>
/// <param name="Line">1-based line in the file (or Env/Labels entry number), 0 when not known.</param>
public sealed record ImageFinding(string Code, int LayerIndex, string? LayerDigest, string? Path, string? RuleId, string Message, bool DeletedInLaterLayer, int Line)
{
    /// <summary>CSDK5013: the secret's one-way fingerprint, as the baseline file and SARIF carry it; else null.</summary>
    public string? Fingerprint { get; init; }
}

public sealed class ImageVerificationResult
{
    /// <summary>The config's User as written ("" or null: root).</summary>
    public string? User { get; set; }

    /// <summary>The numeric uid the user runs as, when known (a number, or a name found in the image's /etc/passwd).</summary>
    public string? ResolvedUid { get; set; }

    public IReadOnlyList<string> Entrypoint { get; set; } = [];

    public IReadOnlyList<string> Cmd { get; set; } = [];

    public int LayerCount { get; set; }

    public IReadOnlyList<string> LayerDigests { get; set; } = [];

    public List<ImageFinding> Findings { get; } = [];

    /// <summary>Regular files of all layers that were scanned for secrets (all files, whatever their size).</summary>
    public long FilesScanned { get; set; }

    /// <summary>Their total size (binaries count whole, although only their name and first bytes are read).</summary>
    public long BytesScanned { get; set; }

    /// <summary>Files whose text was read only up to <see cref="ImageVerificationOptions.MaxTextBytes"/>, or that could not be read.</summary>
    public long FilesNotFullyRead { get; set; }

    /// <summary>oci-archive, docker-archive, oci-layout or docker-archive folder.</summary>
    public string? ArchiveFormat { get; set; }
}

/// <summary>
/// Verifies a built image from its saved archive (docker save, podman save, buildah push oci-archive:, or an OCI
/// layout folder): a non-root user that exists (CSDK5010, CSDK5011), an entrypoint (CSDK5012), and no secret in any
/// layer, even in a file that a later layer deletes — deleting does not remove it from the image (CSDK5013). The
/// secret rules are the package's one rule set, applied by <see cref="SecretFileScanner"/> as for published files.
/// </summary>
public static class ImageVerifier
{
    public const string RootUser = "CSDK5010";
    public const string UnknownUser = "CSDK5011";
    public const string NoEntrypoint = "CSDK5012";
    public const string SecretInLayer = "CSDK5013";
    public const string ArchiveUnreadable = "CSDK5014";

    private const string ConfigPrefix = "config:";
    private const int MaxAccountFileBytes = 4 << 20;

    /// <exception cref="ImageArchiveException">CSDK5014: the archive cannot be read.</exception>
    public static ImageVerificationResult Verify(string archiveOrLayoutPath, ImageVerificationOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        using var archive = ImageArchive.Open(archiveOrLayoutPath);
        var container = ContainerConfig(archive.Config);
        var result = new ImageVerificationResult
        {
            ArchiveFormat = archive.Format,
            User = GetString(container, "User"),
            Entrypoint = GetStrings(container, "Entrypoint"),
            Cmd = GetStrings(container, "Cmd"),
            LayerCount = archive.Layers.Count,
            LayerDigests = archive.Layers.Select(l => l.Digest ?? "").ToList(),
        };

        var walk = new LayerWalk(options, result);
        var secrets = options.CheckSecrets && !options.DisabledRules.Contains(SecretInLayer);
        foreach (var layer in secrets || (options.CheckUser && NeedsAccountFiles(result.User)) ? archive.Layers : [])
        {
            try
            {
                walk.Read(archive, layer);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
            {
                throw new ImageArchiveException(Path.GetFullPath(archiveOrLayoutPath),
                    string.Format(CultureInfo.InvariantCulture, "layer {0} ({1}) cannot be read: {2}", layer.Index, layer.Digest, e.Message), e);
            }
        }

        var findings = new List<ImageFinding>();
        if (options.CheckUser)
        {
            CheckUser(result, walk, options, findings);
        }

        if (options.CheckEntrypoint && !options.DisabledRules.Contains(NoEntrypoint)
            && result.Entrypoint.All(string.IsNullOrEmpty) && result.Cmd.All(string.IsNullOrEmpty))
        {
            findings.Add(new ImageFinding(NoEntrypoint, -1, null, ConfigPrefix + "Entrypoint", null, ImageMessages.Format(NoEntrypoint), false, 0));
        }

        if (secrets)
        {
            ScanConfig("Env", GetStrings(container, "Env"), walk);
            ScanConfig("Labels", GetLabels(container), walk);
            findings.AddRange(walk.SecretFindings(archive.Layers));
        }

        result.Findings.AddRange(findings);
        return result;
    }

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

    /// <summary>Env ("K=V") or Labels ("k=v") as an .ini text: the key/value rules read it, the .env file rule does not.</summary>
    private static void ScanConfig(string what, IReadOnlyList<string> lines, LayerWalk walk)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var text = string.Join("\n", lines.Select(l => l.Replace('\r', ' ').Replace('\n', ' ')));
        walk.AddConfigMatches(what, SecretScanner.Scan(text, SecretSource.ForFile("image-config-" + what.ToLowerInvariant() + ".ini")));
    }

    private static JsonElement ContainerConfig(JsonElement config) =>
        config.ValueKind == JsonValueKind.Object && config.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c
        : config.ValueKind == JsonValueKind.Object && config.TryGetProperty("Config", out var d) && d.ValueKind == JsonValueKind.Object ? d
        : default;

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IReadOnlyList<string> GetStrings(JsonElement element, string name)
    {
        var list = new List<string>();
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in v.EnumerateArray())
            {
                list.Add(item.ValueKind == JsonValueKind.String ? item.GetString() ?? "" : item.GetRawText());
            }
        }

        return list;
    }

    private static IReadOnlyList<string> GetLabels(JsonElement element)
    {
        var list = new List<string>();
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("Labels", out var v) && v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                list.Add(p.Name + "=" + (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()));
            }
        }

        return list;
    }

    /// <summary>An account file (/etc/passwd, /etc/group) as the merged file system sees it after all layers.</summary>
    internal readonly record struct AccountFile(string? Content, int Layer);

    /// <summary>A secret match in a layer file, and the first later layer that deletes or replaces that file.</summary>
    private sealed class LayerHit(int layer, string path, PublishedSecret secret)
    {
        public int Layer { get; } = layer;

        public string Path { get; } = path;

        public PublishedSecret Secret { get; } = secret;

        public int? HiddenBy { get; set; }

        public bool Replaced { get; set; }
    }

    /// <summary>Walks the layers bottom to top, scanning files and applying whiteouts to what lower layers hold.</summary>
    private sealed class LayerWalk(ImageVerificationOptions options, ImageVerificationResult result)
    {
        private const string PasswdPath = "etc/passwd";
        private const string GroupPath = "etc/group";

        private readonly List<LayerHit> hits = [];
        private readonly Dictionary<string, List<LayerHit>> hitsByPath = new(StringComparer.Ordinal);
        private readonly List<(string What, SecretMatch Match)> configHits = [];

        public AccountFile Passwd { get; private set; }

        public AccountFile Group { get; private set; }

        public void Read(ImageArchive archive, ImageLayer layer)
        {
            string? newPasswd = null;
            string? newGroup = null;
            var passwdDeleted = false;
            var groupDeleted = false;
            foreach (var entry in archive.ReadLayer(layer))
            {
                var path = ImageArchive.Normalize(entry.Name);
                var slash = path.LastIndexOf('/');
                var dir = slash < 0 ? "" : path.Substring(0, slash);
                var name = slash < 0 ? path : path.Substring(slash + 1);

                if (name.StartsWith(".wh.", StringComparison.Ordinal)
                    || (entry.EntryType == TarEntryType.CharacterDevice && entry is PosixTarEntry { DeviceMajor: 0, DeviceMinor: 0 }))
                {
                    // .wh.NAME deletes NAME, .wh..wh..opq empties the folder (of lower layers' files); an overlay
                    // whiteout (a 0/0 character device) deletes its own path. Other .wh..wh. names are AUFS bookkeeping.
                    var opaque = name == ".wh..wh..opq";
                    if (name.StartsWith(".wh..wh.", StringComparison.Ordinal) && !opaque)
                    {
                        continue;
                    }

                    var target = opaque ? dir : name.StartsWith(".wh.", StringComparison.Ordinal) ? Join(dir, name.Substring(4)) : path;
                    Delete(target, opaque, layer.Index);
                    passwdDeleted |= Covers(target, opaque, PasswdPath);
                    groupDeleted |= Covers(target, opaque, GroupPath);
                    continue;
                }

                if (hitsByPath.Count > 0 && hitsByPath.TryGetValue(path, out var replaced))
                {
                    foreach (var hit in replaced)
                    {
                        if (hit.Layer < layer.Index && hit.HiddenBy is null)
                        {
                            hit.HiddenBy = layer.Index;
                            hit.Replaced = true;
                        }
                    }
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    // Folders, links (a hard link's content is scanned at its target), devices, FIFOs.
                    continue;
                }

                var data = entry.DataStream ?? Stream.Null;
                var length = entry.Length;
                if ((path == PasswdPath || path == GroupPath) && length <= MaxAccountFileBytes)
                {
                    var bytes = new byte[length];
                    data.ReadExactly(bytes);
                    var text = Encoding.UTF8.GetString(bytes);
                    if (path == PasswdPath)
                    {
                        newPasswd = text;
                    }
                    else
                    {
                        newGroup = text;
                    }

                    data = new MemoryStream(bytes, writable: false);
                }

                if (options.CheckSecrets)
                {
                    Scan(data, path, length, layer.Index);
                }
            }

            // Whiteouts delete lower layers' files only: a file this layer writes survives its own opaque marker.
            Passwd = newPasswd is not null ? new AccountFile(newPasswd, layer.Index) : passwdDeleted ? default : Passwd;
            Group = newGroup is not null ? new AccountFile(newGroup, layer.Index) : groupDeleted ? default : Group;
        }

        private void Scan(Stream data, string path, long length, int layer)
        {
            var imagePath = "/" + path;
            var found = new List<PublishedSecret>();
            var skipped = new List<SkippedFile>();
            result.FilesScanned++;
            result.BytesScanned += length;
            try
            {
                SecretFileScanner.Scan(data, imagePath, length, Math.Max(1, options.MaxTextBytes), found, skipped);
            }
            catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or UnauthorizedAccessException)
            {
                // One unreadable assembly is not a broken image; a broken layer stream fails the next tar read.
                skipped.Add(new SkippedFile(imagePath, e.Message, length, false, Failed: true));
            }

            foreach (var skip in skipped)
            {
                if (skip.Truncated || skip.Failed)
                {
                    result.FilesNotFullyRead++;
                }
            }

            foreach (var secret in found)
            {
                if (options.DisabledRules.Contains(secret.Match.Rule.Id) || (options.Baseline?.Contains(secret.Match) ?? false))
                {
                    continue;
                }

                var hit = new LayerHit(layer, path, secret);
                hits.Add(hit);
                if (!hitsByPath.TryGetValue(path, out var list))
                {
                    hitsByPath[path] = list = [];
                }

                list.Add(hit);
            }
        }

        public void AddConfigMatches(string what, List<SecretMatch> matches)
        {
            foreach (var match in matches)
            {
                if (!options.DisabledRules.Contains(match.Rule.Id) && !(options.Baseline?.Contains(match) ?? false))
                {
                    configHits.Add((what, match));
                }
            }
        }

        /// <summary>Marks what lower layers hold at or under <paramref name="target"/> as deleted by <paramref name="layer"/>.</summary>
        private void Delete(string target, bool opaque, int layer)
        {
            foreach (var hit in hits)
            {
                if (hit.Layer < layer && hit.HiddenBy is null && Covers(target, opaque, hit.Path))
                {
                    hit.HiddenBy = layer;
                }
            }
        }

        private static bool Covers(string target, bool opaque, string path) =>
            target.Length == 0
                ? opaque || path.Length == 0
                : (!opaque && path == target) || (path.Length > target.Length && path[target.Length] == '/' && path.StartsWith(target, StringComparison.Ordinal));

        private static string Join(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;

        public IEnumerable<ImageFinding> SecretFindings(IReadOnlyList<ImageLayer> layers)
        {
            foreach (var (what, match) in configHits)
            {
                var message = ImageMessages.Format(SecretInLayer + ".Config", what, match.Line, match.Rule.Id, match.Rule.Title, match.Hint);
                yield return new ImageFinding(SecretInLayer, -1, null, ConfigPrefix + what, match.Rule.Id, message, false, match.Line) { Fingerprint = match.Fingerprint };
            }

            foreach (var hit in hits.OrderBy(h => h.Layer).ThenBy(h => h.Path, StringComparer.Ordinal).ThenBy(h => h.Secret.Line).ThenBy(h => h.Secret.Match.Rule.Id, StringComparer.Ordinal))
            {
                var digest = layers[hit.Layer].Digest;
                var secret = hit.Secret;
                var where = SecretRedactor.Printable("/" + hit.Path, 300)
                    + (secret.Line > 0 ? ":" + secret.Line.ToString(CultureInfo.InvariantCulture) : "")
                    + (secret.Member is null ? "" : " (" + secret.Member + ")");
                var deleted = hit.HiddenBy is { } by
                    ? string.Format(CultureInfo.InvariantCulture, ImageMessages.Get(hit.Replaced ? "CSDK5013.Replaced" : "CSDK5013.Deleted"), by)
                    : "";
                var message = ImageMessages.Format(SecretInLayer, hit.Layer, ShortDigest(digest), where, secret.Match.Rule.Id, secret.Match.Rule.Title, secret.Match.Hint, deleted);
                yield return new ImageFinding(SecretInLayer, hit.Layer, digest, "/" + hit.Path, secret.Match.Rule.Id, message, hit.HiddenBy is not null, secret.Line) { Fingerprint = secret.Match.Fingerprint };
            }
        }

        private static string ShortDigest(string? digest)
        {
            if (string.IsNullOrEmpty(digest))
            {
                return "digest unknown";
            }

            var colon = digest!.IndexOf(':');
            return colon >= 0 && digest.Length > colon + 13 ? digest.Substring(0, colon + 13) + SecretRedactor.Ellipsis : digest;
        }
    }
}

/// <summary>
/// The text of the image verification messages, in one place until they move to Strings.resx (same shape: the text
/// starts with the code, string.Format placeholders).
/// </summary>
internal static class ImageMessages
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        ["CSDK5013.Deleted"] = "; deleted by layer {0}, but deleting a file in a later layer does not remove it from the layer that added it",
        ["CSDK5013.Replaced"] = "; replaced by layer {0}, but overwriting a file in a later layer does not remove it from the layer that added it",
        ["CSDK5013.Config"] = "CSDK5013: the image config's {0} (entry {1}) holds a secret: {2} {3} ({4}). `docker inspect` shows it to anyone who can pull the image. Do not bake it in with ENV, LABEL or ContainerEnvironmentVariable; pass it at run time (environment, a mounted Kubernetes Secret), and rotate it: it has shipped.",
    };

    /// <summary>A code's message comes from the package's one catalog (Strings.resx); the variants of CSDK5013 (a
    /// config entry, the deleted-by and replaced-by clauses) are here.</summary>
    public static string Get(string key) =>
        Texts.TryGetValue(key, out var text) ? text : ContainerSdk.Diagnostics.Messages.Get(key);

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(key), args);
}
