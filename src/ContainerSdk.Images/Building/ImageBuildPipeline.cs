using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images.Engines;
using ContainerSdk.Images.Verification;

namespace ContainerSdk.Images.Building;

/// <summary>
/// One image build, in the order the BuildContainerImage task promises: check every input, find the engine, build
/// (tagged, labelled, with the reproducibility arguments and the build secrets), verify the saved image (user,
/// entrypoint, no secret in any layer) before anything leaves the machine, push each tag, and write the info file.
/// It stops at the first error; every diagnostic goes to the log as it happens and into the outcome.
/// </summary>
public sealed partial class ImageBuildPipeline
{
    private readonly ImageBuildInputs inputs;
    private readonly IImageBuildLog log;
    private readonly CancellationTokenSource cancel = new();
    private readonly ImageBuildOutcome outcome = new();
    private EngineProcess? process;

    public ImageBuildPipeline(ImageBuildInputs inputs, IImageBuildLog log)
    {
        this.inputs = inputs;
        this.log = log;
    }

    /// <summary>Stops the engine that runs now (if any) and every later step.</summary>
    public void Cancel()
    {
        cancel.Cancel();
        process?.Kill();
    }

    public ImageBuildOutcome Run()
    {
        var total = Stopwatch.StartNew();
        if (Report(ImageBuildValidation.TryEngine(inputs.Engine, out ContainerEngineKind? requested))
            || Report(ImageBuildValidation.TryVerifyMode(inputs.Verify, out string verifyMode))
            || Report(ImageBuildValidation.TryReferences(inputs.Registry, inputs.Repository, inputs.Tags, out List<string> references))
            || Report(ImageBuildValidation.TrySecrets(inputs.Secrets, out List<BuildSecret> secrets, out List<BuildSecret> envSecrets))
            || Report(ImageBuildValidation.TryPushTarget(inputs.Push, inputs.Registry, references[0]))
            || Report(ImageBuildValidation.TryPaths(inputs.Dockerfile, inputs.Context)))
        {
            return outcome;
        }

        Directory.CreateDirectory(inputs.IntermediateDirectory);
        process = new EngineProcess { WorkingDirectory = inputs.Context, SearchPath = inputs.EngineSearchPath };
        if (Report(EngineSelection.TryFind(process, requested, cancel.Token, out ContainerEngineKind kind, out string engineVersion)))
        {
            return outcome;
        }

        string engine = EngineCommands.Executable(kind);
        outcome.EngineName = engine;
        foreach (KeyValuePair<string, string> variable in EngineCommands.Environment(kind))
        {
            process.Environment[variable.Key] = variable.Value;
        }

        if (Report(ImageBuildValidation.TryPlatforms(inputs.Platforms, kind, inputs.Push, out List<string> platforms)))
        {
            return outcome;
        }

        bool multi = platforms.Count > 1;
        var source = new SourceMetadata(inputs.ProjectDirectory ?? inputs.Context, cancel.Token);
        string? epoch = source.ResolveSourceDateEpoch(inputs.SourceDateEpoch, d => Report(d));
        string? revision = source.ResolveRevision(inputs.SourceRevision);
        var (buildArgs, labels) = SourceMetadata.Arguments(epoch, revision);

        string iidFile = Path.Combine(inputs.IntermediateDirectory, "containersdk-image.iid");
        File.Delete(iidFile);
        var timings = new Dictionary<string, double>();
        using var temporary = new TemporaryFiles();
        var request = new ImageBuildRequest
        {
            Dockerfile = Path.GetFullPath(inputs.Dockerfile),
            Context = Path.GetFullPath(inputs.Context),
            References = references,
            BuildArgs = buildArgs,
            Labels = labels,
            Secrets = temporary.ForEngine(kind, secrets, envSecrets, inputs.IntermediateDirectory),
            Platforms = platforms,
            ExtraArguments = inputs.ExtraArguments.Where(a => a.Length > 0).ToList(),
            ImageIdFile = iidFile,
            Push = inputs.Push,
        };
        IReadOnlyList<string> buildCommand = EngineCommands.Build(kind, request);
        Message(LogImportance.High, "ContainerSdk: building {0} with {1} {2}", references[0], engine, engineVersion);
        Message(LogImportance.Normal, "ContainerSdk: {0}", EngineCommands.Display(engine, buildCommand));
        EngineResult build = RunEngine(engine, buildCommand);
        timings["build"] = build.Elapsed.TotalSeconds;
        if (!build.Succeeded)
        {
            Report(ContainerDiagnostic.Create("CSDK5003", engine, EngineResultText.Describe(build), EngineResultText.Lines(build)));
            return outcome;
        }

        outcome.ImageId = File.Exists(iidFile) ? File.ReadAllText(iidFile).Trim() : null;
        outcome.ImageReferences = references.ToArray();
        Message(LogImportance.High, "ContainerSdk: built {0} ({1}) in {2:F1} s", string.Join(", ", references), outcome.ImageId ?? "manifest list", build.Elapsed.TotalSeconds);

        ImageVerificationResult? verification = null;
        if (verifyMode != "false" && multi)
        {
            Message(LogImportance.High, "ContainerSdk: a multi-platform image is not verified locally (the engine keeps it as a manifest list); verify each platform's image, or build one platform with ContainerVerify");
        }
        else if (verifyMode != "false")
        {
            var clock = Stopwatch.StartNew();
            verification = VerifyImage(kind, engine, outcome.ImageId ?? references[0], verifyMode == "warn", temporary);
            timings["verify"] = clock.Elapsed.TotalSeconds;
            if (verification is null || outcome.HasErrors)
            {
                return outcome;
            }
        }

        bool pushed = false;
        if (inputs.Push)
        {
            var clock = Stopwatch.StartNew();
            if (!PushAll(kind, engine, references, multi))
            {
                return outcome;
            }

            pushed = true;
            timings["push"] = clock.Elapsed.TotalSeconds;
        }

        timings["total"] = total.Elapsed.TotalSeconds;
        new ImageInfo
        {
            Tool = "ContainerSdk " + inputs.ToolVersion,
            Engine = engine,
            EngineVersion = engineVersion,
            Dockerfile = Path.GetFullPath(inputs.Dockerfile),
            Context = Path.GetFullPath(inputs.Context),
            References = references,
            ImageId = outcome.ImageId,
            Digest = outcome.ImageDigest,
            Pushed = pushed,
            Platforms = platforms,
            BuildArgs = buildArgs,
            Verification = verification,
            Seconds = timings,
        }.Write(inputs.InfoFile);
        return outcome;
    }

    /// <summary>Pushes each reference (docker with several platforms pushed while building) and records the digest.</summary>
    private bool PushAll(ContainerEngineKind kind, string engine, List<string> references, bool multi)
    {
        foreach (string reference in references)
        {
            if (multi && kind == ContainerEngineKind.Docker)
            {
                break; // buildx pushed while building.
            }

            string digestFile = Path.Combine(inputs.IntermediateDirectory, "containersdk-image.digest");
            File.Delete(digestFile);
            IReadOnlyList<string> pushCommand = EngineCommands.Push(kind, reference, digestFile, multi, inputs.PushArguments.Where(a => a.Length > 0).ToList());
            Message(LogImportance.Normal, "ContainerSdk: {0}", EngineCommands.Display(engine, pushCommand));
            EngineResult push = RunEngine(engine, pushCommand);
            if (!push.Succeeded)
            {
                Report(ContainerDiagnostic.Create("CSDK5004", reference, engine, EngineResultText.Describe(push), EngineResultText.Lines(push)));
                return false;
            }

            outcome.ImageDigest = File.Exists(digestFile) ? File.ReadAllText(digestFile).Trim() : EngineCommands.DigestFromDockerPushOutput(push.Tail);
            Message(LogImportance.High, "ContainerSdk: pushed {0}{1}", reference, outcome.ImageDigest is null ? "" : "@" + outcome.ImageDigest);
        }

        return true;
    }

    private EngineResult RunEngine(string engine, IReadOnlyList<string> args)
    {
        LogImportance importance = (inputs.OutputImportance ?? "normal").Trim().ToLowerInvariant() switch
        {
            "high" => LogImportance.High,
            "low" => LogImportance.Low,
            _ => LogImportance.Normal,
        };
        return process!.Run(engine, args, line => log.Message(importance, line), cancel.Token);
    }

    /// <summary>Reports a diagnostic, if there is one; true when it is an error (the caller stops).</summary>
    private bool Report(ContainerDiagnostic? diagnostic)
    {
        if (diagnostic is null)
        {
            return false;
        }

        outcome.Diagnostics.Add(diagnostic);
        log.Diagnostic(diagnostic);
        return diagnostic.IsError;
    }

    /// <summary>Formatted as MSBuild formats a message with arguments (the current culture).</summary>
    private void Message(LogImportance importance, string format, params object?[] args) =>
        log.Message(importance, args.Length == 0 ? format : string.Format(CultureInfo.CurrentCulture, format, args));
}
