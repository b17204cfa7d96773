using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContainerSdk.Images.Verification;

/// <summary>One layer of an image: where its blob is and the digests that name it.</summary>
internal sealed record ImageLayer(int Index, string? Digest, string? MediaType, string BlobName);

/// <summary>
/// An image saved by docker, podman or buildah: an <c>oci-archive</c> tar (index.json → manifest → config and layers
/// under blobs/), a <c>docker-archive</c> tar (manifest.json with Config and Layers; docker 25 and later also write an
/// OCI index.json, which is preferred), or either laid out in a folder. Nothing is extracted: the outer tar is indexed
/// once (its reader seeks past the data), and each layer is read as a stream, gzip or plain tar by its magic bytes,
/// so memory stays flat whatever the size of a layer or of a file in it.
/// </summary>
internal sealed partial class ImageArchive : IDisposable
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

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void Dispose() => store.Dispose();
}
