using System;
using System.IO;
using System.Text.Json;

namespace ContainerSdk.Tasks;

/// <summary>The global.json dotnet reads for a project, and the SDK version it asks for. In the tasks, not in Core:
/// Core is netstandard2.0, without System.Text.Json.</summary>
internal static class GlobalJson
{
    /// <summary>The global.json dotnet would read for a build in the project folder: the nearest one, inside the context.</summary>
    internal static string? Find(string projectDirectory, string context)
    {
        var root = Path.GetFullPath(context).TrimEnd(Path.DirectorySeparatorChar);
        for (var dir = projectDirectory; dir is not null && (dir + Path.DirectorySeparatorChar).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, "global.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>sdk.version and sdk.rollForward, read as dotnet reads them (comments allowed, names in any case).</summary>
    /// <returns>False when the file is not valid JSON.</returns>
    internal static bool TryRead(string path, out string? version, out string? rollForward)
    {
        version = null;
        rollForward = null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && TryGetProperty(document.RootElement, "sdk", out var sdk) && sdk.ValueKind == JsonValueKind.Object)
            {
                version = TryGetProperty(sdk, "version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                rollForward = TryGetProperty(sdk, "rollForward", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }

        static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }

            value = default;
            return false;
        }
    }
}
