using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images.Engines;

namespace ContainerSdk.Images.Building;

/// <summary>
/// The reproducibility inputs of a build: the timestamp (SOURCE_DATE_EPOCH: the property, else the environment
/// variable of the same name, else the last commit's time) and the revision (the property, else git HEAD), and the
/// build arguments and labels that carry them into the image.
/// </summary>
public sealed class SourceMetadata
{
    /// <summary>Year 10000: beyond it a date has no four-digit RFC 3339 form.</summary>
    private const long MaxEpochSeconds = 253402300800;

    private readonly string gitFolder;
    private readonly CancellationToken cancel;

    public SourceMetadata(string gitFolder, CancellationToken cancel = default)
    {
        this.gitFolder = gitFolder;
        this.cancel = cancel;
    }

    /// <summary>Whole seconds since 1970, or null; a value that is given but unusable is a warning (CSDK5015) and the
    /// build goes on without a timestamp.</summary>
    public string? ResolveSourceDateEpoch(string? property, Action<ContainerDiagnostic> warn)
    {
        // The reproducible-builds variable and the build argument share the name.
        foreach (string? candidate in new[] { property, Environment.GetEnvironmentVariable(ContainerDefaults.SourceDateEpochBuildArg) })
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                if (TryParseEpoch(candidate!, out string? seconds))
                {
                    return seconds;
                }

                warn(ContainerDiagnostic.Create("CSDK5015", candidate));
                return null;
            }
        }

        string? commitTime = Git("log", "-1", "--format=%ct");
        return commitTime is not null && long.TryParse(commitTime, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? commitTime : null;
    }

    public string? ResolveRevision(string? property)
    {
        if (!string.IsNullOrWhiteSpace(property))
        {
            return property!.Trim();
        }

        string? head = Git("rev-parse", "HEAD");
        return head is not null && Regex.IsMatch(head, "^[0-9a-f]{40}([0-9a-f]{24})?$") ? head : null;
    }

    /// <summary>Digits only (no sign, no spaces inside), below year 10000.</summary>
    public static bool TryParseEpoch(string value, out string? seconds)
    {
        seconds = long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) && parsed < MaxEpochSeconds
            ? parsed.ToString(CultureInfo.InvariantCulture)
            : null;
        return seconds is not null;
    }

    /// <summary>The build arguments and the command-line labels for a timestamp and a revision (either may be null).</summary>
    public static (List<KeyValuePair<string, string>> BuildArgs, List<KeyValuePair<string, string>> Labels) Arguments(string? epoch, string? revision)
    {
        var buildArgs = new List<KeyValuePair<string, string>>();
        var labels = new List<KeyValuePair<string, string>>();
        if (epoch is not null)
        {
            string created = DateTimeOffset.FromUnixTimeSeconds(long.Parse(epoch, CultureInfo.InvariantCulture)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            buildArgs.Add(new(ContainerDefaults.SourceDateEpochBuildArg, epoch));
            buildArgs.Add(new(ContainerDefaults.CreatedBuildArg, created));
            labels.Add(new("org.opencontainers.image.created", created));
        }

        if (revision is not null)
        {
            buildArgs.Add(new(ContainerDefaults.RevisionBuildArg, revision));
            labels.Add(new("org.opencontainers.image.revision", revision));
        }

        return (buildArgs, labels);
    }

    /// <summary>One git command in the project folder; null when git is missing or this is not a repository.</summary>
    private string? Git(params string[] args)
    {
        var git = new EngineProcess { WorkingDirectory = gitFolder };
        EngineResult result = git.Run("git", args, onLine: null, cancel);
        return result.Succeeded ? result.Tail.LastOrDefault()?.Trim() : null;
    }
}
