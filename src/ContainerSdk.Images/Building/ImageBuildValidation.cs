using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images.Engines;

namespace ContainerSdk.Images.Building;

/// <summary>
/// The input rules, checked before any engine runs. Each function returns the diagnostic for the first value that
/// breaks its rule, or null when all are fine; none has a side effect (the secret checks only read the file system
/// and the environment).
/// </summary>
public static class ImageBuildValidation
{
    private static readonly Regex SecretIdPattern = new(@"^[A-Za-z0-9_.-]{1,128}$", RegexOptions.CultureInvariant);

    /// <summary>ContainerEngine: auto (or empty), docker, podman or buildah (CSDK5002).</summary>
    public static ContainerDiagnostic? TryEngine(string? engine, out ContainerEngineKind? requested) =>
        EngineCommands.TryParse(engine, out requested) ? null : ContainerDiagnostic.Create("CSDK5002", engine);

    /// <summary>ContainerVerify: true (default), warn or false, in any case.</summary>
    public static ContainerDiagnostic? TryVerifyMode(string? verify, out string mode)
    {
        mode = (verify ?? "true").Trim().ToLowerInvariant();
        return mode is "true" or "false" or "warn" ? null : ContainerDiagnostic.Create("CSDK5008", "ContainerVerify", verify, "true, warn or false");
    }

    /// <summary>The full references, <c>registry/repository:tag</c> for each distinct tag (latest when none).</summary>
    public static ContainerDiagnostic? TryReferences(string? registryValue, string repositoryValue, IReadOnlyList<string> tagValues, out List<string> references)
    {
        references = [];
        string registry = (registryValue ?? "").Trim().TrimEnd('/');
        string repository = repositoryValue.Trim().Trim('/');
        if (registry.Length > 0 && !ImageReference.IsValidRegistry(registry))
        {
            return ContainerDiagnostic.Create("CSDK5008", "ContainerRegistry", registryValue, "a registry host with an optional port, such as ghcr.io or 127.0.0.1:5000");
        }

        if (!ImageReference.IsValidRepository(repository))
        {
            return ContainerDiagnostic.Create("CSDK5008", "ContainerRepository", repositoryValue, "lowercase letters, digits and . _ - separators, path components joined by /");
        }

        List<string> tags = tagValues.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count == 0)
        {
            tags.Add("latest");
        }

        foreach (string tag in tags)
        {
            if (!ImageReference.IsValidTag(tag))
            {
                references = [];
                return ContainerDiagnostic.Create("CSDK5008", "ContainerImageTags", tag, "letters, digits, _ . - (at most 128, not starting with . or -)");
            }

            references.Add((registry.Length > 0 ? registry + "/" : "") + repository + ":" + tag);
        }

        return null;
    }

    /// <summary>@(ContainerBuildSecret): a valid, unique id and exactly one existing source each (CSDK5005). File
    /// secrets come back with a full path, environment secrets by variable name.</summary>
    public static ContainerDiagnostic? TrySecrets(IReadOnlyList<BuildSecretInput> items, out List<BuildSecret> files, out List<BuildSecret> environment)
    {
        files = [];
        environment = [];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (BuildSecretInput item in items)
        {
            string id = item.Id.Trim();
            string file = item.File.Trim();
            string env = item.Environment.Trim();
            string? problem =
                !SecretIdPattern.IsMatch(id) ? "its id (the item's Include) must be letters, digits, _ . -"
                : !ids.Add(id) ? "the id is given twice"
                : file.Length > 0 == env.Length > 0 ? "give exactly one of File=\"path\" or Environment=\"VARIABLE\""
                : file.Length > 0 && !File.Exists(file) ? $"the file '{file}' does not exist"
                : env.Length > 0 && System.Environment.GetEnvironmentVariable(env) is null ? $"the environment variable '{env}' is not set"
                : null;
            if (problem is not null)
            {
                return ContainerDiagnostic.Create("CSDK5005", id, problem);
            }

            if (file.Length > 0)
            {
                files.Add(new BuildSecret(id, Path.GetFullPath(file), null));
            }
            else
            {
                environment.Add(new BuildSecret(id, null, env));
            }
        }

        return null;
    }

    /// <summary>ContainerPush needs ContainerRegistry (CSDK5009).</summary>
    public static ContainerDiagnostic? TryPushTarget(bool push, string? registry, string primaryReference) =>
        push && string.IsNullOrWhiteSpace(registry) ? ContainerDiagnostic.Create("CSDK5009", primaryReference) : null;

    /// <summary>The Dockerfile and the build context exist (CSDK5008).</summary>
    public static ContainerDiagnostic? TryPaths(string dockerfile, string context) =>
        !File.Exists(dockerfile)
            ? ContainerDiagnostic.Create("CSDK5008", "ContainerDockerfile", dockerfile, "an existing Dockerfile (run the GenerateDockerfile target, or point ContainerDockerfile at yours)")
        : !Directory.Exists(context) ? ContainerDiagnostic.Create("CSDK5008", "ContainerBuildContext", context, "an existing folder")
        : null;

    /// <summary>The trimmed, non-empty platforms; docker keeps several only in a registry, so it needs ContainerPush (CSDK5006).</summary>
    public static ContainerDiagnostic? TryPlatforms(IReadOnlyList<string> values, ContainerEngineKind kind, bool push, out List<string> platforms)
    {
        platforms = values.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        return platforms.Count > 1 && kind == ContainerEngineKind.Docker && !push
            ? ContainerDiagnostic.Create("CSDK5006", string.Join(",", platforms))
            : null;
    }
}
