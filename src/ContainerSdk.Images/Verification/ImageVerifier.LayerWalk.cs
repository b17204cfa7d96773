using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ContainerSdk.Secrets;

namespace ContainerSdk.Images.Verification;

/// <summary>The layer walk: whiteouts applied bottom to top, and the secret-in-layer check (CSDK5013).</summary>
public static partial class ImageVerifier
{
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
