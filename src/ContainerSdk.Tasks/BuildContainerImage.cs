using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.Secrets;
using ContainerSdk.Images.Engines;
using ContainerSdk.Images.Verification;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>
/// Builds the project's Dockerfile into a tagged, labelled image with docker, podman or buildah; verifies the built
/// image (non-root user, an entrypoint, no secret in any layer) before anything leaves the machine; pushes it; and
/// hands the image id and digest back as outputs and in a small JSON file for later CI steps.
/// </summary>
public sealed class BuildContainerImage : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();
    private EngineProcess? _process;

    [Required] public string Dockerfile { get; set; } = "";

    [Required] public string Context { get; set; } = "";

    /// <summary>auto (default: the first of docker, podman, buildah that works), docker, podman or buildah.</summary>
    public string? Engine { get; set; }

    public string? Registry { get; set; }

    [Required] public string Repository { get; set; } = "";

    /// <summary>ContainerImageTags (semicolon list) or ContainerImageTag; default latest.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>Extra engine arguments, one per item, placed before the context folder.</summary>
    public string[] ExtraArguments { get; set; } = [];

    public string[] PushArguments { get; set; } = [];

    /// <summary>@(ContainerBuildSecret): Include is the secret id; File or Environment names where its value is.</summary>
    public ITaskItem[] Secrets { get; set; } = [];

    /// <summary>ContainerPlatforms: linux/amd64;linux/arm64 …</summary>
    public string[] Platforms { get; set; } = [];

    public bool Push { get; set; }

    /// <summary>true (default): findings are errors; warn: warnings; false: no verification.</summary>
    public string? Verify { get; set; }

    public string? SourceRevision { get; set; }

    /// <summary>Seconds since 1970 (SOURCE_DATE_EPOCH); empty: the environment's SOURCE_DATE_EPOCH, else the commit time.</summary>
    public string? SourceDateEpoch { get; set; }

    [Required] public string IntermediateDirectory { get; set; } = "";

    [Required] public string InfoFile { get; set; } = "";

    public string? ProjectDirectory { get; set; }

    public string? SecretsBaseline { get; set; }

    /// <summary>ContainerAllowRootUser=true: the image may run as root on purpose, so the user check is off.</summary>
    public bool AllowRootUser { get; set; }

    /// <summary>$(NoWarn): secret rules listed there are not reported by the verification either.</summary>
    public string? DisabledRules { get; set; }

    /// <summary>Folders (PATH syntax) to find the engine in instead of PATH: ContainerEngineSearchPath.</summary>
    public string? EngineSearchPath { get; set; }

    /// <summary>high, normal (default) or low: the importance of the engine's own output lines in the MSBuild log.</summary>
    public string? OutputImportance { get; set; }

    public string ToolVersion { get; set; } = "0.0.0";

    [Output] public string? ImageId { get; set; }

    [Output] public string? ImageDigest { get; set; }

    [Output] public string[] ImageReferences { get; set; } = [];

    [Output] public string? EngineName { get; set; }

    public void Cancel()
    {
        _cancel.Cancel();
        _process?.Kill();
    }

    public override bool Execute()
    {
        var total = Stopwatch.StartNew();
        if (!EngineCommands.TryParse(Engine, out ContainerEngineKind? requested))
        {
            return Fail(ContainerDiagnostic.Error("CSDK5002", Engine));
        }

        string verifyMode = (Verify ?? "true").Trim().ToLowerInvariant();
        if (verifyMode is not ("true" or "false" or "warn"))
        {
            return Fail(ContainerDiagnostic.Error("CSDK5008", "ContainerVerify", Verify, "true, warn or false"));
        }

        if (!TryReferences(out List<string> references) || !TrySecrets(out List<BuildSecret> secrets, out List<BuildSecret> envSecrets))
        {
            return false;
        }

        if (Push && string.IsNullOrWhiteSpace(Registry))
        {
            return Fail(ContainerDiagnostic.Error("CSDK5009", references[0]));
        }

        if (!File.Exists(Dockerfile))
        {
            return Fail(ContainerDiagnostic.Error("CSDK5008", "ContainerDockerfile", Dockerfile, "an existing Dockerfile (run the GenerateDockerfile target, or point ContainerDockerfile at yours)"));
        }

        if (!Directory.Exists(Context))
        {
            return Fail(ContainerDiagnostic.Error("CSDK5008", "ContainerBuildContext", Context, "an existing folder"));
        }

        Directory.CreateDirectory(IntermediateDirectory);
        _process = new EngineProcess { WorkingDirectory = Context, SearchPath = EngineSearchPath };
        if (!TryFindEngine(requested, out ContainerEngineKind kind, out string engineVersion))
        {
            return false;
        }

        string engine = EngineCommands.Executable(kind);
        EngineName = engine;
        foreach (KeyValuePair<string, string> variable in EngineCommands.Environment(kind))
        {
            _process.Environment[variable.Key] = variable.Value;
        }

        List<string> platforms = Platforms.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        bool multi = platforms.Count > 1;
        if (multi && kind == ContainerEngineKind.Docker && !Push)
        {
            return Fail(ContainerDiagnostic.Error("CSDK5006", string.Join(",", platforms)));
        }

        var buildArgs = new List<KeyValuePair<string, string>>();
        var labels = new List<KeyValuePair<string, string>>();
        string? epoch = ResolveSourceDateEpoch();
        string? revision = ResolveRevision();
        if (epoch is not null)
        {
            string created = DateTimeOffset.FromUnixTimeSeconds(long.Parse(epoch, CultureInfo.InvariantCulture)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            buildArgs.Add(new("SOURCE_DATE_EPOCH", epoch));
            buildArgs.Add(new("IMAGE_CREATED", created));
            labels.Add(new("org.opencontainers.image.created", created));
        }

        if (revision is not null)
        {
            buildArgs.Add(new("SOURCE_REVISION", revision));
            labels.Add(new("org.opencontainers.image.revision", revision));
        }

        string iidFile = Path.Combine(IntermediateDirectory, "containersdk-image.iid");
        File.Delete(iidFile);
        var temporary = new List<string>();
        var timings = new Dictionary<string, double>();
        try
        {
            // podman and buildah read secrets from files only: an environment secret goes to a private temporary
            // file that is deleted right after the build (the value never appears on a command line or in a log).
            var engineSecrets = new List<BuildSecret>(secrets);
            foreach (BuildSecret secret in envSecrets)
            {
                if (kind == ContainerEngineKind.Docker)
                {
                    engineSecrets.Add(secret);
                    continue;
                }

                string file = Path.Combine(IntermediateDirectory, "containersdk-secret-" + Guid.NewGuid().ToString("N"));
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var stream = new FileStream(file, options))
                {
                    byte[] value = Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable(secret.EnvironmentVariable!) ?? "");
                    stream.Write(value, 0, value.Length);
                }

                temporary.Add(file);
                engineSecrets.Add(secret with { File = file, EnvironmentVariable = null });
            }

            var request = new ImageBuildRequest
            {
                Dockerfile = Path.GetFullPath(Dockerfile),
                Context = Path.GetFullPath(Context),
                References = references,
                BuildArgs = buildArgs,
                Labels = labels,
                Secrets = engineSecrets,
                Platforms = platforms,
                ExtraArguments = ExtraArguments.Where(a => a.Length > 0).ToList(),
                ImageIdFile = iidFile,
                Push = Push,
            };
            IReadOnlyList<string> buildCommand = EngineCommands.Build(kind, request);
            Log.LogMessage(MessageImportance.High, "ContainerSdk: building {0} with {1} {2}", references[0], engine, engineVersion);
            Log.LogMessage(MessageImportance.Normal, "ContainerSdk: {0}", EngineCommands.Display(engine, buildCommand));
            EngineResult build = RunEngine(engine, buildCommand);
            timings["build"] = build.Elapsed.TotalSeconds;
            if (!build.Succeeded)
            {
                return Fail(ContainerDiagnostic.Error("CSDK5003", engine, Describe(build), Lines(build)));
            }

            ImageId = File.Exists(iidFile) ? File.ReadAllText(iidFile).Trim() : null;
            ImageReferences = references.ToArray();
            Log.LogMessage(MessageImportance.High, "ContainerSdk: built {0} ({1}) in {2:F1} s", string.Join(", ", references), ImageId ?? "manifest list", build.Elapsed.TotalSeconds);

            ImageVerificationResult? verification = null;
            if (verifyMode != "false" && multi)
            {
                Log.LogMessage(MessageImportance.High, "ContainerSdk: a multi-platform image is not verified locally (the engine keeps it as a manifest list); verify each platform's image, or build one platform with ContainerVerify");
            }
            else if (verifyMode != "false")
            {
                var clock = Stopwatch.StartNew();
                verification = VerifyImage(kind, engine, ImageId ?? references[0], verifyMode == "warn", temporary);
                timings["verify"] = clock.Elapsed.TotalSeconds;
                if (verification is null || Log.HasLoggedErrors)
                {
                    return false;
                }
            }

            bool pushed = false;
            if (Push)
            {
                var clock = Stopwatch.StartNew();
                foreach (string reference in references)
                {
                    if (multi && kind == ContainerEngineKind.Docker)
                    {
                        break; // buildx pushed while building.
                    }

                    string digestFile = Path.Combine(IntermediateDirectory, "containersdk-image.digest");
                    File.Delete(digestFile);
                    IReadOnlyList<string> pushCommand = EngineCommands.Push(kind, reference, digestFile, multi, PushArguments.Where(a => a.Length > 0).ToList());
                    Log.LogMessage(MessageImportance.Normal, "ContainerSdk: {0}", EngineCommands.Display(engine, pushCommand));
                    EngineResult push = RunEngine(engine, pushCommand);
                    if (!push.Succeeded)
                    {
                        return Fail(ContainerDiagnostic.Error("CSDK5004", reference, engine, Describe(push), Lines(push)));
                    }

                    ImageDigest = File.Exists(digestFile) ? File.ReadAllText(digestFile).Trim() : EngineCommands.DigestFromDockerPushOutput(push.Tail);
                    Log.LogMessage(MessageImportance.High, "ContainerSdk: pushed {0}{1}", reference, ImageDigest is null ? "" : "@" + ImageDigest);
                }

                pushed = true;
                timings["push"] = clock.Elapsed.TotalSeconds;
            }

            timings["total"] = total.Elapsed.TotalSeconds;
            WriteInfo(engine, engineVersion, references, platforms, buildArgs, pushed, verification, timings);
            return !Log.HasLoggedErrors;
        }
        finally
        {
            foreach (string file in temporary)
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // Best effort; the folder is the project's obj/.
                }
            }
        }
    }

    private EngineResult RunEngine(string engine, IReadOnlyList<string> args)
    {
        MessageImportance importance = (OutputImportance ?? "normal").Trim().ToLowerInvariant() switch
        {
            "high" => MessageImportance.High,
            "low" => MessageImportance.Low,
            _ => MessageImportance.Normal,
        };
        return _process!.Run(engine, args, line => Log.LogMessage(importance, "{0}", line), _cancel.Token);
    }

    private bool TryFindEngine(ContainerEngineKind? requested, out ContainerEngineKind kind, out string version)
    {
        var tried = new List<string>();
        foreach (ContainerEngineKind candidate in requested is { } one ? [one] : EngineCommands.AutoOrder)
        {
            string exe = EngineCommands.Executable(candidate);
            EngineResult probe = _process!.Run(exe, EngineCommands.Probe(candidate), onLine: null, _cancel.Token);
            if (probe.Succeeded)
            {
                kind = candidate;
                // docker and podman print the bare version; buildah prints "Version: 1.28.2" among other lines.
                string? labelled = probe.Tail.FirstOrDefault(l => l.TrimStart().StartsWith("Version:", StringComparison.OrdinalIgnoreCase));
                version = labelled is not null
                    ? labelled.Trim().Substring("Version:".Length).Trim()
                    : probe.Tail.LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";

                return true;
            }

            tried.Add(probe.NotFound
                ? $"{exe}: not found on PATH"
                : $"{exe}: `{exe} {string.Join(" ", EngineCommands.Probe(candidate))}` {Describe(probe)}: {string.Join(" / ", EngineProcess.LinesThatMatter(probe.Tail, 3))}");
        }

        kind = default;
        version = "";
        Fail(ContainerDiagnostic.Error("CSDK5001", requested is null ? "auto" : EngineCommands.Executable(requested.Value), string.Join("; ", tried)));
        return false;
    }

    private ImageVerificationResult? VerifyImage(ContainerEngineKind kind, string engine, string image, bool warnOnly, List<string> temporary)
    {
        string archive = Path.Combine(IntermediateDirectory, "containersdk-image-verify.tar");
        File.Delete(archive);
        temporary.Add(archive);
        IReadOnlyList<string> save = EngineCommands.Save(kind, image, archive);
        Log.LogMessage(MessageImportance.Normal, "ContainerSdk: {0}", EngineCommands.Display(engine, save));
        EngineResult saved = RunEngine(engine, save);
        if (!saved.Succeeded)
        {
            Fail(ContainerDiagnostic.Error("CSDK5007", image, engine, Describe(saved), Lines(saved)));
            return null;
        }

        var options = new ImageVerificationOptions { CheckUser = !AllowRootUser };
        foreach (string code in (DisabledRules ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()))
        {
            options.DisabledRules.Add(code);
        }

        if (!string.IsNullOrWhiteSpace(SecretsBaseline) && File.Exists(SecretsBaseline))
        {
            options.Baseline = SecretBaseline.Parse(File.ReadAllText(SecretsBaseline!), out _);
        }

        ImageVerificationResult result;
        try
        {
            result = ImageVerifier.Verify(archive, options);
        }
        catch (ImageArchiveException ex)
        {
            Fail(ContainerDiagnostic.Error("CSDK5014", $"{ex.ArchivePath} (saved from {image})", ex.Reason));
            return null;
        }

        foreach (ImageFinding finding in result.Findings)
        {
            // The verifier's messages read "CSDKnnnn: text" like the catalog's; MSBuild prints the code itself.
            string text = finding.Message.StartsWith(finding.Code + ": ", StringComparison.Ordinal) ? finding.Message.Substring(finding.Code.Length + 2) : finding.Message;
            var diagnostic = new ContainerDiagnostic(finding.Code, warnOnly ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, text);
            Log.Log(diagnostic, Dockerfile);
        }

        Log.LogMessage(MessageImportance.High,
            "ContainerSdk: verified {0}: user {1}, {2} layers, {3} files ({4:F1} MB) scanned for secrets, {5} finding(s)",
            image, string.IsNullOrEmpty(result.User) ? "(none)" : result.User, result.LayerCount, result.FilesScanned, result.BytesScanned / 1e6, result.Findings.Count);
        return result;
    }

    private bool TryReferences(out List<string> references)
    {
        references = [];
        string registry = (Registry ?? "").Trim().TrimEnd('/');
        string repository = Repository.Trim().Trim('/');
        if (registry.Length > 0 && !ImageReference.IsValidRegistry(registry))
        {
            return Fail(ContainerDiagnostic.Error("CSDK5008", "ContainerRegistry", Registry, "a registry host with an optional port, such as ghcr.io or 127.0.0.1:5000"));
        }

        if (!ImageReference.IsValidRepository(repository))
        {
            return Fail(ContainerDiagnostic.Error("CSDK5008", "ContainerRepository", Repository, "lowercase letters, digits and . _ - separators, path components joined by /"));
        }

        List<string> tags = Tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count == 0)
        {
            tags.Add("latest");
        }

        foreach (string tag in tags)
        {
            if (!ImageReference.IsValidTag(tag))
            {
                return Fail(ContainerDiagnostic.Error("CSDK5008", "ContainerImageTags", tag, "letters, digits, _ . - (at most 128, not starting with . or -)"));
            }

            references.Add((registry.Length > 0 ? registry + "/" : "") + repository + ":" + tag);
        }

        return true;
    }

    private bool TrySecrets(out List<BuildSecret> files, out List<BuildSecret> environment)
    {
        files = [];
        environment = [];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (ITaskItem item in Secrets)
        {
            string id = item.ItemSpec.Trim();
            string file = item.GetMetadata("File").Trim();
            string env = item.GetMetadata("Environment").Trim();
            string? problem =
                !SecretIdPattern.IsMatch(id) ? "its id (the item's Include) must be letters, digits, _ . -"
                : !ids.Add(id) ? "the id is given twice"
                : file.Length > 0 == env.Length > 0 ? "give exactly one of File=\"path\" or Environment=\"VARIABLE\""
                : file.Length > 0 && !File.Exists(file) ? $"the file '{file}' does not exist"
                : env.Length > 0 && Environment.GetEnvironmentVariable(env) is null ? $"the environment variable '{env}' is not set"
                : null;
            if (problem is not null)
            {
                return Fail(ContainerDiagnostic.Error("CSDK5005", id, problem));
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

        return true;
    }

    private string? ResolveSourceDateEpoch()
    {
        foreach (string? candidate in new[] { SourceDateEpoch, Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH") })
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                if (long.TryParse(candidate!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds < 253402300800)
                {
                    return seconds.ToString(CultureInfo.InvariantCulture);
                }

                Log.Log(ContainerDiagnostic.Warning("CSDK5008", "ContainerSourceDateEpoch", candidate, "whole seconds since 1970 (the build goes on without it)"), Dockerfile);
                return null;
            }
        }

        string? commitTime = Git("log", "-1", "--format=%ct");
        return commitTime is not null && long.TryParse(commitTime, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? commitTime : null;
    }

    private string? ResolveRevision()
    {
        if (!string.IsNullOrWhiteSpace(SourceRevision))
        {
            return SourceRevision!.Trim();
        }

        string? head = Git("rev-parse", "HEAD");
        return head is not null && Regex.IsMatch(head, "^[0-9a-f]{40}([0-9a-f]{24})?$") ? head : null;
    }

    /// <summary>One git command in the project folder; null when git is missing or this is not a repository.</summary>
    private string? Git(params string[] args)
    {
        var git = new EngineProcess { WorkingDirectory = ProjectDirectory ?? Context };
        EngineResult result = git.Run("git", args, onLine: null, _cancel.Token);
        return result.Succeeded ? result.Tail.LastOrDefault()?.Trim() : null;
    }

    private void WriteInfo(string engine, string version, List<string> references, List<string> platforms, List<KeyValuePair<string, string>> buildArgs,
        bool pushed, ImageVerificationResult? verification, Dictionary<string, double> timings)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(InfoFile));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("tool", "ContainerSdk " + ToolVersion);
            w.WriteString("engine", engine);
            w.WriteString("engineVersion", version);
            w.WriteString("dockerfile", Path.GetFullPath(Dockerfile));
            w.WriteString("context", Path.GetFullPath(Context));
            w.WriteStartArray("references");
            references.ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteString("imageId", ImageId);
            w.WriteString("digest", ImageDigest);
            w.WriteBoolean("pushed", pushed);
            w.WriteStartArray("platforms");
            platforms.ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteStartObject("buildArgs");
            foreach (KeyValuePair<string, string> arg in buildArgs)
            {
                w.WriteString(arg.Key, arg.Value);
            }

            w.WriteEndObject();
            if (verification is not null)
            {
                w.WriteStartObject("verification");
                w.WriteString("user", verification.User);
                w.WriteNumber("layers", verification.LayerCount);
                w.WriteNumber("filesScanned", verification.FilesScanned);
                w.WriteNumber("findings", verification.Findings.Count);
                w.WriteEndObject();
            }

            w.WriteStartObject("seconds");
            foreach (KeyValuePair<string, double> timing in timings)
            {
                w.WriteNumber(timing.Key, Math.Round(timing.Value, 3));
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        File.WriteAllBytes(InfoFile, stream.ToArray());
    }

    private static string Describe(EngineResult result) =>
        result.NotFound ? "was not found on PATH"
        : result.StartError is { } error ? $"could not run ({error})"
        : $"exited with code {result.ExitCode}";

    private static string Lines(EngineResult result)
    {
        IReadOnlyList<string> lines = EngineProcess.LinesThatMatter(result.Tail);
        return lines.Count == 0 ? "(no output)" : Environment.NewLine + string.Join(Environment.NewLine, lines.Select(l => "  | " + l));
    }

    private bool Fail(ContainerDiagnostic diagnostic)
    {
        Log.Log(diagnostic, Dockerfile);
        return false;
    }

    private static readonly Regex SecretIdPattern = new(@"^[A-Za-z0-9_.-]{1,128}$", RegexOptions.CultureInvariant);
}
