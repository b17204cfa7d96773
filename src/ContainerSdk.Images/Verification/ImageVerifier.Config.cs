using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using ContainerSdk.Secrets;

namespace ContainerSdk.Images.Verification;

/// <summary>The image config: the container settings it holds and the Env and Labels scan.</summary>
public static partial class ImageVerifier
{
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

}
