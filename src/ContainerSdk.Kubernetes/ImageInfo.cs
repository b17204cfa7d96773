using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ContainerSdk.Kubernetes;

/// <summary>Reads BuildContainerImage's <c>obj/containersdk-image.json</c>: the digest it pushed, when it pushed the image
/// this manifest names (same registry and repository), so a stale file from another image is never used.</summary>
public static class ImageInfo
{
    /// <returns>The digest (<c>sha256:</c> and 64 hex digits), or null when there is none for <paramref name="imageName"/>;
    /// <paramref name="problem"/> says why a file that exists could not be read.</returns>
    public static string? PushedDigest(string? path, string imageName, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path!));
            var root = document.RootElement;
            if (!root.TryGetProperty("pushed", out var pushed) || pushed.ValueKind != JsonValueKind.True
                || !root.TryGetProperty("digest", out var digest) || digest.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("references", out var references) || references.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            bool same = references.EnumerateArray()
                .Where(r => r.ValueKind == JsonValueKind.String)
                .Select(r => r.GetString()!)
                .Any(r => r.StartsWith(imageName + ":", StringComparison.Ordinal) || r.StartsWith(imageName + "@", StringComparison.Ordinal));
            string value = digest.GetString()!;
            return same && IsDigest(value) ? value : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return null;
        }
    }

    public static bool IsDigest(string value) =>
        value.Length == 71 && value.StartsWith("sha256:", StringComparison.Ordinal) && value.Skip(7).All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
