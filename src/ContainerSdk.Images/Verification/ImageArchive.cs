using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContainerSdk.Images.Verification;

/// <summary>CSDK5014: the image archive cannot be read (not an archive, a missing blob, an unsupported compression).</summary>
public sealed class ImageArchiveException : Exception
{
    public ImageArchiveException(string path, string reason, Exception? inner = null)
        : base(ImageMessages.Format(ImageVerifier.ArchiveUnreadable, path, reason), inner)
    {
        ArchivePath = path;
        Reason = reason;
    }

    public string Code => ImageVerifier.ArchiveUnreadable;

    public string ArchivePath { get; }

    public string Reason { get; }
}

/// <summary>One layer of an image: where its blob is and the digests that name it.</summary>
internal sealed record ImageLayer(int Index, string? Digest, string? MediaType, string BlobName);

/// <summary>
/// An image saved by docker, podman or buildah: an <c>oci-archive</c> tar (index.json → manifest → config and layers
/// under blobs/), a <c>docker-archive</c> tar (manifest.json with Config and Layers; docker 25 and later also write an
/// OCI index.json, which is preferred), or either laid out in a folder. Nothing is extracted: the outer tar is indexed
/// once (its reader seeks past the data), and each layer is read as a stream, gzip or plain tar by its magic bytes,
/// so memory stays flat whatever the size of a layer or of a file in it.
/// </summary>
internal sealed class ImageArchive : IDisposable
{
    private const long MaxJsonBytes = 16L << 20;

    private static readonly Regex DigestPattern = new("^(?<alg>[a-z0-9]+(?:[+._-][a-z0-9]+)*):(?<hex>[a-zA-Z0-9=_-]{32,})$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private readonly IBlobStore store;
    private readonly string path;

    private ImageArchive(string path, IBlobStore store, string format, JsonElement config, IReadOnlyList<ImageLayer> layers)
    {
        this.path = path;
        this.store = store;
        Format = format;
        Config = config;
        Layers = layers;
    }

    /// <summary>"oci-archive", "docker-archive", "oci-layout" or "docker-archive folder".</summary>
    public string Format { get; }

    /// <summary>The image configuration (OCI image config / docker image JSON).</summary>
    public JsonElement Config { get; }

    /// <summary>Bottom (the base image's first layer) to top.</summary>
    public IReadOnlyList<ImageLayer> Layers { get; }

    public static ImageArchive Open(string path)
    {
        var full = Path.GetFullPath(path);
        IBlobStore store;
        if (Directory.Exists(full))
        {
            store = new DirectoryBlobStore(full);
        }
        else if (File.Exists(full))
        {
            store = TarBlobStore.Create(full);
        }
        else
        {
            throw new ImageArchiveException(full, "there is no such file or folder");
        }

        try
        {
            return Open(full, store);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException or IOException or InvalidOperationException or KeyNotFoundException)
        {
            store.Dispose();
            throw new ImageArchiveException(full, e.Message, e);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

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

    /// <summary>
    /// The entries of one layer, in archive order. A regular file's <see cref="TarEntry.DataStream"/> is valid only
    /// until the next entry is asked for (it may be a forward-only view of the decompressed layer).
    /// </summary>
    public IEnumerable<TarEntry> ReadLayer(ImageLayer layer)
    {
        using var blob = store.Open(layer.BlobName);
        using var content = Decompress(blob, layer);
        using var reader = new TarReader(content, leaveOpen: true);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = reader.GetNextEntry();
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or InvalidOperationException or ArgumentException)
            {
                throw new ImageArchiveException(path, string.Format(CultureInfo.InvariantCulture, "layer {0} ({1}) is not a readable tar: {2}", layer.Index, layer.Digest, e.Message), e);
            }

            if (entry is null)
            {
                yield break;
            }

            yield return entry;
        }
    }

    /// <summary>By the magic bytes, not the media type: registries and tools disagree on the latter.</summary>
    private Stream Decompress(Stream blob, ImageLayer layer)
    {
        Span<byte> magic = stackalloc byte[6];
        var n = blob.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        blob.Position = 0;
        var head = magic[..n];
        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            return new BufferedStream(new GZipStream(blob, CompressionMode.Decompress, leaveOpen: true), 1 << 16);
        }

        var compression =
            head.Length >= 4 && head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD ? "zstd"
            : head.Length >= 6 && head[0] == 0xFD && head[1] == 0x37 && head[2] == 0x7A && head[3] == 0x58 && head[4] == 0x5A && head[5] == 0x00 ? "xz"
            : head.Length >= 3 && head[0] == 0x42 && head[1] == 0x5A && head[2] == 0x68 ? "bzip2"
            : null;
        if (compression is not null)
        {
            throw new ImageArchiveException(path, string.Format(CultureInfo.InvariantCulture,
                "layer {0} ({1}) is {2}-compressed, which is not supported; save the image with uncompressed layers (`docker save`, `podman save --format docker-archive`) or push it with gzip ones (`podman push --compression-format gzip`)",
                layer.Index, layer.Digest, compression));
        }

        return new NonDisposingStream(blob);
    }

    private static JsonElement ReadJson(IBlobStore store, string name)
    {
        using var stream = store.Open(name);
        if (stream.Length > MaxJsonBytes)
        {
            throw new InvalidDataException($"'{name}' is {stream.Length} bytes, too large for image metadata");
        }

        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
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

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An archive-relative name: no "./" or "/" in front, no "." or ".." segments.</summary>
    internal static string Normalize(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join("/", parts);
    }

    public void Dispose() => store.Dispose();

    private interface IBlobStore : IDisposable
    {
        bool Exists(string name);

        /// <summary>A seekable stream at position 0; the caller disposes it.</summary>
        Stream Open(string name);
    }

    /// <summary>
    /// The outer tar, indexed in one pass. On a seekable file, TarReader skips each entry's data and hands out a
    /// seekable view of it that stays valid while the reader is open (it re-seeks on every read).
    /// </summary>
    private sealed class TarBlobStore : IBlobStore
    {
        private readonly FileStream file;
        private readonly TarReader reader;
        private readonly Dictionary<string, TarEntry> entries = new(StringComparer.Ordinal);

        private TarBlobStore(FileStream file, TarReader reader)
        {
            this.file = file;
            this.reader = reader;
        }

        public static TarBlobStore Create(string path)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            try
            {
                Span<byte> magic = stackalloc byte[4];
                var n = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
                file.Position = 0;
                if (n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B)
                {
                    throw new ImageArchiveException(path, "it is gzip-compressed (e.g. `docker save | gzip`); decompress it first");
                }

                if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD)
                {
                    throw new ImageArchiveException(path, "it is zstd-compressed; decompress it first");
                }

                var store = new TarBlobStore(file, new TarReader(file, leaveOpen: true));
                try
                {
                    store.Index();
                }
                catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or InvalidOperationException or ArgumentException)
                {
                    throw new ImageArchiveException(path, "it is not a tar archive: " + e.Message, e);
                }

                if (store.entries.Count == 0)
                {
                    throw new ImageArchiveException(path, "it is not a tar archive, or an empty one");
                }

                return store;
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        private void Index()
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                var name = Normalize(entry.Name);
                if (name.Length > 0)
                {
                    entries[name] = entry;
                }
            }
        }

        public bool Exists(string name) => Resolve(name) is not null;

        public Stream Open(string name)
        {
            var entry = Resolve(name) ?? throw new FileNotFoundException($"the archive has no '{name}'");
            if (entry.DataStream is not { } data)
            {
                return new MemoryStream([], writable: false);
            }

            data.Position = 0;
            return new NonDisposingStream(data);
        }

        /// <summary>Follows links: docker save links a layer that two images share to one copy.</summary>
        private TarEntry? Resolve(string name)
        {
            name = Normalize(name);
            for (var hops = 0; hops < 16; hops++)
            {
                if (!entries.TryGetValue(name, out var entry))
                {
                    return null;
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.SymbolicLink:
                        var dir = name.LastIndexOf('/') is var slash and >= 0 ? name.Substring(0, slash + 1) : "";
                        name = Normalize(entry.LinkName.StartsWith("/", StringComparison.Ordinal) ? entry.LinkName : dir + entry.LinkName);
                        continue;
                    case TarEntryType.HardLink:
                        name = Normalize(entry.LinkName);
                        continue;
                    case TarEntryType.RegularFile:
                    case TarEntryType.V7RegularFile:
                    case TarEntryType.ContiguousFile:
                        return entry;
                    default:
                        return null;
                }
            }

            return null;
        }

        public void Dispose()
        {
            reader.Dispose();
            file.Dispose();
        }
    }

    private sealed class DirectoryBlobStore(string root) : IBlobStore
    {
        public bool Exists(string name) => File.Exists(Full(name));

        public Stream Open(string name) =>
            new FileStream(Full(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

        private string Full(string name) => Path.Combine(root, Normalize(name));

        public void Dispose()
        {
        }
    }

    /// <summary>Hands out a stream the store owns: disposing the view leaves it open.</summary>
    private sealed class NonDisposingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
