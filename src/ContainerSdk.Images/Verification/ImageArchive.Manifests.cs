using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ContainerSdk.Images.Verification;

/// <summary>The archive formats: oci-archive / OCI layout (index.json → manifest) and docker-archive (manifest.json).</summary>
internal sealed partial class ImageArchive
{
    private static ImageArchive Open(string path, IBlobStore store)
    {
        var isTar = store is TarBlobStore;
        if (store.Exists("index.json"))
        {
            var manifest = ResolveManifest(path, store, ReadJson(store, "index.json"), 0);
            var configDigest = manifest.GetProperty("config").GetProperty("digest").GetString() ?? "";
            var config = ReadJson(store, BlobName(path, configDigest));
            var layers = new List<ImageLayer>();
            if (manifest.TryGetProperty("layers", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var layer in list.EnumerateArray())
                {
                    var digest = layer.GetProperty("digest").GetString() ?? "";
                    var mediaType = layer.TryGetProperty("mediaType", out var m) ? m.GetString() : null;
                    layers.Add(new ImageLayer(layers.Count, digest, mediaType, BlobName(path, digest)));
                }
            }

            return new ImageArchive(path, store, isTar ? (store.Exists("manifest.json") ? "docker-archive" : "oci-archive") : "oci-layout", config, layers);
        }

        if (store.Exists("manifest.json"))
        {
            var manifests = ReadJson(store, "manifest.json");
            if (manifests.ValueKind != JsonValueKind.Array || manifests.GetArrayLength() == 0)
            {
                throw new ImageArchiveException(path, "manifest.json lists no image");
            }

            var manifest = manifests[0];
            var configName = Normalize(GetString(manifest, "Config") ?? throw new ImageArchiveException(path, "manifest.json has no Config"));
            var config = ReadJson(store, configName);
            var diffIds = new List<string?>();
            if (config.TryGetProperty("rootfs", out var rootfs) && rootfs.TryGetProperty("diff_ids", out var ids) && ids.ValueKind == JsonValueKind.Array)
            {
                foreach (var id in ids.EnumerateArray())
                {
                    diffIds.Add(id.GetString());
                }
            }

            var layers = new List<ImageLayer>();
            if (manifest.TryGetProperty("Layers", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var layer in list.EnumerateArray())
                {
                    var name = Normalize(layer.GetString() ?? "");
                    var digest = layers.Count < diffIds.Count ? diffIds[layers.Count] : DigestFromName(name);
                    layers.Add(new ImageLayer(layers.Count, digest, null, name));
                }
            }

            return new ImageArchive(path, store, isTar ? "docker-archive" : "docker-archive folder", config, layers);
        }

        throw new ImageArchiveException(path, isTar
            ? "it holds neither index.json (oci-archive) nor manifest.json (docker-archive)"
            : "the folder holds neither index.json (OCI layout) nor manifest.json (docker-archive)");
    }

    /// <summary>Follows index.json (and nested indexes) to one image manifest: the only one, else the one for this machine's platform.</summary>
    private static JsonElement ResolveManifest(string path, IBlobStore store, JsonElement document, int depth)
    {
        if (depth > 4)
        {
            throw new ImageArchiveException(path, "image indexes nest too deep");
        }

        if (!document.TryGetProperty("manifests", out var manifests))
        {
            return document;
        }

        var candidates = new List<JsonElement>();
        foreach (var m in manifests.EnumerateArray())
        {
            var annotations = m.TryGetProperty("annotations", out var a) ? a : default;
            var os = m.TryGetProperty("platform", out var p) ? GetString(p, "os") : null;
            var isAttestation = (annotations.ValueKind == JsonValueKind.Object && GetString(annotations, "vnd.docker.reference.type") == "attestation-manifest") || os == "unknown";
            // docker save of a multi-platform image lists every platform but holds the blobs of one.
            if (!isAttestation && GetString(m, "digest") is { } d && store.Exists(BlobName(path, d)))
            {
                candidates.Add(m);
            }
        }

        if (candidates.Count == 0)
        {
            throw new ImageArchiveException(path, "its index lists no image manifest that the archive holds");
        }

        var chosen = candidates[0];
        if (candidates.Count > 1)
        {
            var arch = RuntimeInformation.OSArchitecture switch
            {
                Architecture.Arm64 => "arm64",
                Architecture.Arm => "arm",
                _ => "amd64",
            };
            foreach (var c in candidates)
            {
                if (c.TryGetProperty("platform", out var p) && GetString(p, "os") == "linux" && GetString(p, "architecture") == arch)
                {
                    chosen = c;
                    break;
                }
            }
        }

        var digest = GetString(chosen, "digest") ?? throw new ImageArchiveException(path, "an index entry has no digest");
        return ResolveManifest(path, store, ReadJson(store, BlobName(path, digest)), depth + 1);
    }

    private static string BlobName(string path, string digest)
    {
        var m = DigestPattern.Match(digest);
        if (!m.Success)
        {
            throw new ImageArchiveException(path, "'" + digest + "' is not a digest");
        }

        return "blobs/" + m.Groups["alg"].Value + "/" + m.Groups["hex"].Value;
    }

    private static string? DigestFromName(string name)
    {
        // blobs/sha256/HEX, HEX.tar or HEX/layer.tar
        var parts = name.Split('/');
        if (parts.Length == 3 && parts[0] == "blobs")
        {
            return parts[1] + ":" + parts[2];
        }

        var hex = parts[0].EndsWith(".tar", StringComparison.Ordinal) ? parts[0].Substring(0, parts[0].Length - 4) : parts[0];
        return hex.Length == 64 ? "sha256:" + hex : null;
    }
}
