using System;
using System.Collections.Generic;
using System.Linq;

namespace ContainerSdk.Images.Engines;

/// <summary>The container engines the image build can drive.</summary>
public enum ContainerEngineKind
{
    Docker,
    Podman,
    Buildah,
}

/// <summary>A build secret: the Dockerfile's <c>RUN --mount=type=secret,id=…</c> reads it from a file or an
/// environment variable of the build's process. Never a build argument (those are kept in the image's history).</summary>
public sealed record BuildSecret(string Id, string? File, string? EnvironmentVariable);

/// <summary>Everything one image build needs, engine-neutral.</summary>
public sealed class ImageBuildRequest
{
    public string Dockerfile { get; init; } = "";

    public string Context { get; init; } = "";

    /// <summary>Full references (<c>registry/repository:tag</c>), the first is the primary one.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> BuildArgs { get; init; } = [];

    /// <summary>Labels passed on the command line as well as through the Dockerfile's LABEL: buildah and podman reuse a
    /// cached LABEL layer even when the build argument it expands changed, a command-line label is always current.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    /// <summary>Secrets as the engine will receive them: each one a file (podman and buildah read files only; an
    /// environment secret is written to a private temporary file first) or, for docker, possibly an env name.</summary>
    public IReadOnlyList<BuildSecret> Secrets { get; init; } = [];

    public IReadOnlyList<string> Platforms { get; init; } = [];

    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public string ImageIdFile { get; init; } = "";

    /// <summary>docker with several platforms keeps the result only in a registry: the build pushes.</summary>
    public bool Push { get; init; }
}

/// <summary>
/// The command lines for each engine, in one place and free of side effects, so that every flag is unit-tested.
/// docker: BuildKit (the default builder since Docker 23; <c>--secret</c> and cache mounts need it), buildx for several
/// platforms. podman and buildah: <c>--format docker</c> because the OCI image format has no HEALTHCHECK and both
/// engines drop it there; <c>--layers</c> so the restore layer is cached.
/// </summary>
public static class EngineCommands
{
    public static readonly IReadOnlyList<ContainerEngineKind> AutoOrder = [ContainerEngineKind.Docker, ContainerEngineKind.Podman, ContainerEngineKind.Buildah];

    public static string Executable(ContainerEngineKind kind) => kind switch
    {
        ContainerEngineKind.Docker => "docker",
        ContainerEngineKind.Podman => "podman",
        _ => "buildah",
    };

    public static bool TryParse(string? value, out ContainerEngineKind? kind)
    {
        kind = null;
        switch ((value ?? "").Trim().ToLowerInvariant())
        {
            case "" or "auto":
                return true;
            case "docker":
                kind = ContainerEngineKind.Docker;
                return true;
            case "podman":
                kind = ContainerEngineKind.Podman;
                return true;
            case "buildah":
                kind = ContainerEngineKind.Buildah;
                return true;
            default:
                return false;
        }
    }

    /// <summary>A cheap command that succeeds only where the engine can build: for docker that means a reachable daemon
    /// (a docker CLI without one, as on many locked-down runners, is skipped by auto).</summary>
    public static IReadOnlyList<string> Probe(ContainerEngineKind kind) => kind switch
    {
        ContainerEngineKind.Docker => ["version", "--format", "{{.Server.Version}}"],
        ContainerEngineKind.Podman => ["version", "--format", "{{.Client.Version}}"],
        _ => ["version"],
    };

    /// <summary>Environment the engine runs with. docker before 23.0 runs the legacy builder unless DOCKER_BUILDKIT=1,
    /// and the legacy builder fails on the generated Dockerfile (<c>FROM --platform=$BUILDPLATFORM</c>,
    /// <c>RUN --mount</c>, <c>COPY --chmod</c>); from 23.0 on BuildKit is the default and the variable changes nothing.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment(ContainerEngineKind kind) => kind switch
    {
        ContainerEngineKind.Docker => [new("DOCKER_BUILDKIT", "1")],
        _ => [],
    };

    public static bool IsMultiPlatform(ImageBuildRequest request) => request.Platforms.Count > 1;

    public static IReadOnlyList<string> Build(ContainerEngineKind kind, ImageBuildRequest request)
    {
        var args = new List<string>();
        bool multi = IsMultiPlatform(request);
        if (kind == ContainerEngineKind.Docker)
        {
            if (multi)
            {
                // The classic image store holds one platform: a multi-platform image can only go to a registry.
                args.AddRange(["buildx", "build", "--push"]);
            }
            else
            {
                args.Add("build");
            }
        }
        else
        {
            args.AddRange(["build", "--format", "docker", "--layers"]);
        }

        args.AddRange(["--file", request.Dockerfile]);
        if (!multi || kind == ContainerEngineKind.Docker)
        {
            args.AddRange(["--iidfile", request.ImageIdFile]);
        }

        if (multi && kind != ContainerEngineKind.Docker)
        {
            // podman/buildah build each platform and collect them in a manifest list named like the image.
            args.AddRange(["--manifest", request.References[0]]);
        }
        else
        {
            foreach (string reference in request.References)
            {
                args.AddRange(["--tag", reference]);
            }
        }

        if (request.Platforms.Count > 0)
        {
            args.AddRange(["--platform", string.Join(",", request.Platforms)]);
        }

        foreach (KeyValuePair<string, string> arg in request.BuildArgs)
        {
            args.AddRange(["--build-arg", arg.Key + "=" + arg.Value]);
        }

        foreach (KeyValuePair<string, string> label in request.Labels)
        {
            args.AddRange(["--label", label.Key + "=" + label.Value]);
        }

        foreach (BuildSecret secret in request.Secrets)
        {
            args.AddRange(["--secret", SecretArgument(kind, secret)]);
        }

        args.AddRange(request.ExtraArguments);
        args.Add(request.Context);
        return args;
    }

    public static string SecretArgument(ContainerEngineKind kind, BuildSecret secret)
    {
        if (secret.File is { Length: > 0 } file)
        {
            return $"id={secret.Id},src={file}";
        }

        if (kind == ContainerEngineKind.Docker && secret.EnvironmentVariable is { Length: > 0 } env)
        {
            return $"id={secret.Id},env={env}";
        }

        throw new ArgumentException($"secret '{secret.Id}' has no file for {Executable(kind)}", nameof(secret));
    }

    /// <summary>Pushes one reference; podman and buildah write the pushed manifest's digest to <paramref name="digestFile"/>,
    /// docker prints it ("digest: sha256:… size: …").</summary>
    public static IReadOnlyList<string> Push(ContainerEngineKind kind, string reference, string digestFile, bool manifestList, IReadOnlyList<string> extra)
    {
        var args = new List<string>();
        switch (kind)
        {
            case ContainerEngineKind.Docker:
                args.Add("push");
                args.AddRange(extra);
                args.Add(reference);
                break;
            case ContainerEngineKind.Podman or ContainerEngineKind.Buildah when manifestList:
                args.AddRange(["manifest", "push", "--all", "--digestfile", digestFile]);
                args.AddRange(extra);
                args.AddRange([reference, "docker://" + reference]);
                break;
            default:
                args.AddRange(["push", "--digestfile", digestFile]);
                args.AddRange(extra);
                args.Add(reference);
                break;
        }

        return args;
    }

    /// <summary>Writes the built image to an archive the verifier reads, in docker's <c>save</c> format for all three:
    /// its layers are stored uncompressed, so neither the export nor the scan spends time on gzip (an oci-archive from
    /// podman or buildah gzips every layer: about 3 s more for a 160 MB image here).</summary>
    public static IReadOnlyList<string> Save(ContainerEngineKind kind, string image, string archive) => kind switch
    {
        ContainerEngineKind.Docker => ["save", "--output", archive, image],
        ContainerEngineKind.Podman => ["save", "--format", "docker-archive", "--output", archive, image],
        _ => ["push", image, "docker-archive:" + archive],
    };

    /// <summary>The digest docker prints after a push ("latest: digest: sha256:… size: 1234").</summary>
    public static string? DigestFromDockerPushOutput(IEnumerable<string> lines) =>
        lines.Select(line => line.IndexOf("digest: sha256:", StringComparison.Ordinal) is int at and >= 0
                ? line.Substring(at + "digest: ".Length).Split(' ')[0]
                : null)
            .LastOrDefault(digest => digest is { Length: 71 });

    /// <summary>Arguments as a shell would need them, for the log (never contains a secret: secrets are file paths or
    /// environment variable names).</summary>
    public static string Display(string executable, IEnumerable<string> args) =>
        executable + " " + string.Join(" ", args.Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,@%+{}".IndexOf(c) >= 0) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
