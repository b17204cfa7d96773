using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using ContainerSdk.Images.Verification;

namespace ContainerSdk.Images.Building;

/// <summary>The JSON file (ContainerImageInfoFile) that hands the build's results to later CI steps.</summary>
public sealed class ImageInfo
{
    public string Tool { get; init; } = "";

    public string Engine { get; init; } = "";

    public string EngineVersion { get; init; } = "";

    public string Dockerfile { get; init; } = "";

    public string Context { get; init; } = "";

    public IReadOnlyList<string> References { get; init; } = [];

    public string? ImageId { get; init; }

    public string? Digest { get; init; }

    public bool Pushed { get; init; }

    public IReadOnlyList<string> Platforms { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> BuildArgs { get; init; } = [];

    public ImageVerificationResult? Verification { get; init; }

    /// <summary>build, verify, push (the steps that ran) and total, in seconds.</summary>
    public IReadOnlyDictionary<string, double> Seconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Writes the file (indented UTF-8 JSON, no BOM), creating its folder.</summary>
    public void Write(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllBytes(path, ToJson());
    }

    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("tool", Tool);
            w.WriteString("engine", Engine);
            w.WriteString("engineVersion", EngineVersion);
            w.WriteString("dockerfile", Dockerfile);
            w.WriteString("context", Context);
            WriteArray(w, "references", References);
            w.WriteString("imageId", ImageId);
            w.WriteString("digest", Digest);
            w.WriteBoolean("pushed", Pushed);
            WriteArray(w, "platforms", Platforms);
            w.WriteStartObject("buildArgs");
            foreach (KeyValuePair<string, string> arg in BuildArgs)
            {
                w.WriteString(arg.Key, arg.Value);
            }

            w.WriteEndObject();
            if (Verification is not null)
            {
                w.WriteStartObject("verification");
                w.WriteString("user", Verification.User);
                w.WriteNumber("layers", Verification.LayerCount);
                w.WriteNumber("filesScanned", Verification.FilesScanned);
                w.WriteNumber("findings", Verification.Findings.Count);
                w.WriteEndObject();
            }

            w.WriteStartObject("seconds");
            foreach (KeyValuePair<string, double> timing in Seconds)
            {
                w.WriteNumber(timing.Key, Math.Round(timing.Value, 3));
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (string value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
