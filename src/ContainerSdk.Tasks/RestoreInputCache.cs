using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ContainerSdk.Tasks;

/// <summary>The on-disk cache of <see cref="RestoreInputCollector"/>'s answer and what it depends on.</summary>
internal static class RestoreInputCache
{
    private const int FormatVersion = 2;

    public sealed record Entry(IReadOnlyCollection<string> Inputs, IReadOnlyCollection<string> Outside, IReadOnlyCollection<string> Feeds, IReadOnlyCollection<string> Imports);

    private sealed class Model
    {
        public int Version { get; set; }

        public string Key { get; set; } = "";

        public List<string> Inputs { get; set; } = [];

        public List<string> Outside { get; set; } = [];

        /// <summary>Local feeds outside the context, as "feed|config".</summary>
        public List<string> Feeds { get; set; } = [];

        public List<string> Imports { get; set; } = [];

        public Dictionary<string, string> Files { get; set; } = [];

        public Dictionary<string, string> Directories { get; set; } = [];

        public List<string> Names { get; set; } = [];
    }

    public static Entry? TryRead(string path, string key)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var model = JsonSerializer.Deserialize<Model>(File.ReadAllText(path));
            if (model is null || model.Version != FormatVersion || model.Key != key)
            {
                return null;
            }

            foreach (var (file, stamp) in model.Files)
            {
                if (Stamp(file) != stamp)
                {
                    return null;
                }
            }

            foreach (var (directory, present) in model.Directories)
            {
                if (Present(directory, model.Names) != present)
                {
                    return null;
                }
            }

            // Local feeds are folders: they must still exist for the answer to hold.
            return model.Inputs.All(i => i.EndsWith(Path.DirectorySeparatorChar) ? Directory.Exists(i) : File.Exists(i))
                ? new Entry(model.Inputs, model.Outside, model.Feeds, model.Imports)
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static void Write(
        string path, string key, IEnumerable<string> inputs, IEnumerable<string> outside, IEnumerable<string> feeds,
        IEnumerable<string> imports, IEnumerable<string> files, IEnumerable<string> directories, IReadOnlyList<string> names)
    {
        var model = new Model
        {
            Version = FormatVersion,
            Key = key,
            Inputs = inputs.ToList(),
            Outside = outside.ToList(),
            Feeds = feeds.ToList(),
            Imports = imports.ToList(),
            Files = files.ToDictionary(f => f, Stamp, StringComparer.Ordinal),
            Directories = directories.ToDictionary(d => d, d => Present(d, names), StringComparer.Ordinal),
            Names = names.ToList(),
        };
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, JsonSerializer.Serialize(model));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written only costs time on the next build.
        }
    }

    private static string Stamp(string file)
    {
        var info = new FileInfo(file);
        return info.Exists ? info.LastWriteTimeUtc.Ticks + ":" + info.Length : "absent";
    }

    private static string Present(string directory, IEnumerable<string> names) =>
        string.Join(",", names.Where(n => File.Exists(Path.Combine(directory, n))));
}
