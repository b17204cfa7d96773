using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ContainerSdk.Model;
using ContainerSdk.Text;

namespace ContainerSdk.Generation;

/// <summary>Turns a validated <see cref="ContainerSpec"/> into instructions. No validation happens here.</summary>
public static class DockerfileBuilder
{
    public const string NuGetCacheMount = "--mount=type=cache,id=containersdk-nuget,target=/root/.nuget/packages,sharing=locked";

    /// <summary>A private feed's credentials arrive as a user-level NuGet.Config through a build secret, so they are in
    /// no layer, ARG or ENV. Without the secret the mount is skipped (required=false).</summary>
    public const string NuGetSecretMount = "--mount=type=secret,id=nuget_config,target=/root/.nuget/NuGet/NuGet.Config,required=false";

    public const string PublishDirectory = "/app/publish";

    /// <summary>SDKs before .NET 6 have no `-a`: the RID comes from BuildKit's TARGETARCH through the shell instead.</summary>
    public const string RidFromTargetArch =
        "case \"$TARGETARCH\" in \"\"|amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; arm) rid=linux-arm ;; *) echo \"unsupported TARGETARCH $TARGETARCH\" >&2; exit 1 ;; esac";

    public static DockerfileModel Build(ContainerSpec spec)
    {
        var stages = new List<Stage> { BuildStage(spec) };
        if (spec.DotnetRuntimeImage is not null)
        {
            stages.Add(new Stage(
                "The .NET runtime for the CUDA base, which has none.",
                [new Instruction("FROM", spec.DotnetRuntimeImage + " AS dotnet-runtime")]));
        }

        stages.Add(FinalStage(spec));
        return new DockerfileModel(stages);
    }

    private static Stage BuildStage(ContainerSpec spec)
    {
        var project = DockerfileText.Quote(spec.ProjectPath);
        bool ridForm = spec.SdkMajor > 0 && spec.SdkMajor < Images.BaseImageCatalog.FirstModernMajor;
        var arch = ridForm ? "-r \"$rid\"" : "-a \"$TARGETARCH\"";
        var prefix = ridForm ? new[] { RidFromTargetArch } : [];
        var and = ridForm ? "&& " : "";
        var selfContained = spec.SelfContained ? "--self-contained true" : "--self-contained false";
        var list = new List<Instruction>
        {
            new("FROM", "--platform=$BUILDPLATFORM " + spec.SdkImage + " AS build", spec.SdkReason),
            new("ARG", "TARGETARCH"),
            new("WORKDIR", "/src"),
        };

        bool first = true;
        foreach (var group in GroupByDirectory(spec.RestoreInputs))
        {
            list.Add(new Instruction(
                "COPY",
                DockerfileText.JsonArray(group.Sources.Concat([group.Destination])),
                first ? "Restore inputs only: this layer and the restore below stay cached until one of them changes." : null));
            first = false;
        }

        list.Add(new Instruction("RUN",
            [NuGetCacheMount, NuGetSecretMount, .. prefix, $"{and}dotnet restore {project} {arch}"]));
        list.Add(new Instruction("COPY", ". .", "Sources last: a code change rebuilds from here on."));
        list.Add(new Instruction("RUN",
            [
                NuGetCacheMount,
                NuGetSecretMount,
                .. prefix,
                $"{and}dotnet publish {project} -c {DockerfileText.Quote(spec.Configuration)}{(spec.PublishFramework is null ? "" : " -f " + spec.PublishFramework)} {arch} {selfContained} -o {PublishDirectory} -p:GenerateDockerfile=false{(spec.Models.Count > 0 ? " -p:ContainerSdkExcludeModels=true" : "")}",
                // Whatever the checkout's umask gave the sources, the app files end up writable by their owner (root) only.
                $"&& chmod -R u=rwX,go=rX {PublishDirectory}",
            ]));
        return new Stage("Build stage: runs on the build machine's platform and cross-publishes for TARGETARCH.", list);
    }

    /// <summary>
    /// The COPY argument lists of one model. With external data, the model and its files share one layer when they
    /// keep their names in one target folder (the usual <c>model.onnx</c> + <c>model.onnx.data</c>); a renamed model
    /// or data in subfolders needs one COPY per file, since one COPY cannot rename several sources.
    /// </summary>
    private static IEnumerable<string[]> ModelCopies(ModelFile model)
    {
        if (model.ExternalData.Count == 0)
        {
            yield return [model.Source, model.Target];
            yield break;
        }

        var files = new[] { model }.Concat(model.ExternalData).ToList();
        var folder = model.Target.Substring(0, model.Target.LastIndexOf('/') + 1);
        if (files.All(f => f.Target == folder + BaseName(f.Source) && f.Target.LastIndexOf('/') + 1 == folder.Length))
        {
            yield return files.Select(f => f.Source).Append(folder).ToArray();
            yield break;
        }

        foreach (var file in files)
        {
            yield return [file.Source, file.Target];
        }
    }

    private static string BaseName(string path) => path.Substring(path.LastIndexOf('/') + 1);

    private static Stage FinalStage(ContainerSpec spec)
    {
        var list = new List<Instruction>
        {
            new("FROM", spec.RuntimeImage.ToString(), spec.Gpu is null ? null
                : string.Format(CultureInfo.InvariantCulture,
                    "{0} {1} needs CUDA {2} + cuDNN {3}: {4}.",
                    spec.Gpu.PackageId, spec.Gpu.PackageVersion, spec.Gpu.CudaMajor, spec.Gpu.CudnnMajor, string.Join(", ", spec.Gpu.Sonames))),
        };

        if (spec.DotnetRuntimeImage is not null)
        {
            list.Add(new Instruction("COPY", $"--from=dotnet-runtime [\"{ContainerDefaults.DotnetRoot}/\", \"{ContainerDefaults.DotnetRoot}/\"]"));
        }

        list.Add(new Instruction("WORKDIR", spec.WorkingDirectory));
        for (int i = 0; i < spec.Models.Count; i++)
        {
            var comment = i == 0 ? "Models in their own read-only layers, before the app: a code change does not rebuild or re-push them." : null;
            foreach (var copy in ModelCopies(spec.Models[i]))
            {
                list.Add(new Instruction("COPY", "--chmod=0444 " + DockerfileText.JsonArray(copy), comment));
                comment = null;
            }
        }

        list.Add(new Instruction(
            "COPY",
            $"--from=build [\"{PublishDirectory}/\", \"{spec.WorkingDirectory}/\"]",
            "Owned by root and read-only for the app's user."));

        foreach (var port in spec.Ports)
        {
            list.Add(new Instruction("EXPOSE", port.ToString()));
        }

        if (spec.Environment.Count > 0)
        {
            list.Add(new Instruction("ENV", Continued(spec.Environment.Select(e => e.Name + "=" + DockerfileText.Quote(e.Value)))));
        }

        list.Add(new Instruction("ARG", ContainerDefaults.SourceDateEpochBuildArg,
            $"Set by CI: {ContainerDefaults.SourceDateEpochBuildArg} (commit time) makes image timestamps reproducible; {ContainerDefaults.CreatedBuildArg} is the same instant in RFC 3339."));
        list.Add(new Instruction("ARG", ContainerDefaults.CreatedBuildArg));
        list.Add(new Instruction("ARG", ContainerDefaults.RevisionBuildArg));
        var labels = spec.Labels.Select(l => l.Name + "=" + DockerfileText.Quote(l.Value))
            .Concat([$"org.opencontainers.image.revision=\"${{{ContainerDefaults.RevisionBuildArg}}}\"", $"org.opencontainers.image.created=\"${{{ContainerDefaults.CreatedBuildArg}}}\""]);
        list.Add(new Instruction("LABEL", Continued(labels)));
        list.Add(new Instruction("USER", spec.User));
        if (spec.HealthCheck is not null)
        {
            list.Add(new Instruction(
                "HEALTHCHECK",
                "--interval=30s --timeout=5s --start-period=30s --retries=3 CMD " + DockerfileText.JsonArray(spec.HealthCheck),
                "The app is its own probe (no shell or curl in the image); OCI-format builds (buildah's default) drop HEALTHCHECK, use --format docker."));
        }
        list.Add(new Instruction("ENTRYPOINT", DockerfileText.JsonArray(spec.Entrypoint)));
        if (spec.DefaultArgs.Count > 0)
        {
            list.Add(new Instruction("CMD", DockerfileText.JsonArray(spec.DefaultArgs)));
        }

        return new Stage(
            spec.Gpu is null && spec.FrameworkMajor is > 0 and < Images.BaseImageCatalog.FirstModernMajor
                ? "Runtime stage: the release's last official image (no chiseled variant, out of support), a numeric non-root user."
                : spec.Gpu is null
                ? "Runtime stage: no SDK, no shell in chiseled images, a numeric non-root user."
                : "Runtime stage: CUDA + cuDNN runtime matching ONNX Runtime's build, a numeric non-root user.",
            list);
    }

    private static List<string> Continued(IEnumerable<string> items) => items.ToList();

    private static IEnumerable<(IReadOnlyList<string> Sources, string Destination)> GroupByDirectory(IReadOnlyList<string> paths)
    {
        // Folders (local package feeds) are copied one by one to their own path; files share one COPY per folder.
        foreach (var folder in paths.Where(p => p.EndsWith("/", System.StringComparison.Ordinal)))
        {
            yield return (new[] { folder }, folder);
        }

        var files = paths.Where(p => !p.EndsWith("/", System.StringComparison.Ordinal))
            .GroupBy(p => p.LastIndexOf('/') < 0 ? "" : p.Substring(0, p.LastIndexOf('/') + 1))
            .OrderBy(g => g.Key.Count(c => c == '/'))
            .ThenBy(g => g.Key, System.StringComparer.Ordinal);
        foreach (var group in files)
        {
            yield return (group.OrderBy(p => p, System.StringComparer.Ordinal).ToList(), group.Key.Length == 0 ? "./" : group.Key);
        }
    }
}
