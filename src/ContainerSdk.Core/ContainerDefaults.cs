namespace ContainerSdk;

/// <summary>
/// The one owner of every ContainerSdk default and fixed name that more than one place needs: the spec factory, the
/// Dockerfile builder, the tasks and the analyzers read them from here, and a test checks that sdk/build/*.targets
/// state the same values (MSBuild cannot read a C# constant). Plain constants only: the Roslyn components compile this
/// file in.
/// </summary>
public static class ContainerDefaults
{
    /// <summary>ContainerUser: the .NET images' non-root `app` user (APP_UID), numeric so Kubernetes can check it.</summary>
    public const string User = "1654";

    /// <summary>ContainerWorkingDirectory.</summary>
    public const string WorkingDirectory = "/app";

    /// <summary>ContainerConfiguration: the image is always built in this configuration.</summary>
    public const string Configuration = "Release";

    /// <summary>ContainerModelDirectory: where a ContainerModel goes in the image unless it says otherwise.</summary>
    public const string ModelDirectory = "/app/models";

    /// <summary>ContainerAccelerator.</summary>
    public const string Accelerator = "auto";

    /// <summary>Where the .NET runtime is copied to on a base image without one (CUDA bases): DOTNET_ROOT.</summary>
    public const string DotnetRoot = "/usr/share/dotnet";

    /// <summary>The build argument that carries the reproducible timestamp (ContainerSourceDateEpoch).</summary>
    public const string SourceDateEpochBuildArg = "SOURCE_DATE_EPOCH";

    /// <summary>The build argument with the same instant as SOURCE_DATE_EPOCH in RFC 3339 (the created label).</summary>
    public const string CreatedBuildArg = "IMAGE_CREATED";

    /// <summary>The build argument with the commit (the revision label).</summary>
    public const string RevisionBuildArg = "SOURCE_REVISION";
}
