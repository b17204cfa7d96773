using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace ContainerSdk.Images.Verification;

/// <summary>Reading one layer: its blob as a stream of tar entries, decompressed by its magic bytes.</summary>
internal sealed partial class ImageArchive
{
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
}
