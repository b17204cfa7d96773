using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Model;

/// <summary>
/// Validates <see cref="ContainerInputs"/> and makes the decisions (base images, user, ports, ...) by composing the
/// property rules in <see cref="Rules"/>, each a pure function that returns its value and its diagnostics. The rules
/// run in a fixed order (later ones take earlier values), so the diagnostics of one build always read the same.
/// </summary>
public static class ContainerSpecFactory
{
    public static ContainerSpec? Create(ContainerInputs inputs, List<ContainerDiagnostic> diagnostics, BaseImageCatalog? catalog = null)
    {
        catalog ??= BaseImageCatalog.Default;
        int errorsBefore = diagnostics.Count(d => d.IsError);

        int frameworkMajor = FrameworkRules.ParseTarget(inputs.TargetFrameworkIdentifier, inputs.TargetFrameworkVersion, catalog).Into(diagnostics);
        bool selfContained = FlagRules.Parse("SelfContained", inputs.SelfContained, false).Into(diagnostics);
        bool allowRoot = FlagRules.Parse("ContainerAllowRootUser", inputs.AllowRootUser, false).Into(diagnostics);
        string runtimeRepository = BaseImageRules.RuntimeRepository(selfContained, inputs.IsWebProject);
        var release = FrameworkRules.CheckSupport(frameworkMajor, runtimeRepository, catalog).Into(diagnostics);
        string family = BaseImageRules.ParseFamily(inputs.Family, release).Into(diagnostics);
        var accelerator = AcceleratorRules.Parse(inputs.Accelerator, inputs.ResolvedPackages).Into(diagnostics);

        var sdk = frameworkMajor == 0 ? null : SdkSelection.Choose(inputs, frameworkMajor, catalog, diagnostics);
        var sdkImage = sdk is null ? null : ImageProperty.Parse("ContainerSdkImage", inputs.SdkImage, BaseImageCatalog.DotnetImage("sdk", sdk.Channel, ""), diagnostics);
        var images = BaseImageRules.ParseRuntime(
            new BaseImageRules.Requested(inputs.BaseImage, inputs.DotnetRuntimeImage, inputs.CudaVersion),
            accelerator.IsGpu ? accelerator.GpuPackage : null, selfContained,
            BaseImageCatalog.DotnetImage(runtimeRepository, catalog.Channel(frameworkMajor), family), catalog).Into(diagnostics);
        diagnostics.AddRange(MuslRules.Check([images.Runtime, images.DotnetRuntime], inputs.ResolvedPackages, inputs.NativeRuntimeIdentifiers));

        string configuration = ConfigurationRules.Parse(inputs.Configuration).Into(diagnostics);
        string? publishFramework = FrameworkRules.ParsePublishFramework(inputs.PublishFramework).Into(diagnostics);
        string user = UserRules.Parse(inputs.User, allowRoot).Into(diagnostics);
        string workdir = WorkingDirectoryRules.Parse(inputs.WorkingDirectory).Into(diagnostics);

        var listen = ListenPorts.From(inputs.EnvironmentVariables);
        var ports = PortListRules.Parse(inputs.Ports, inputs.IsWebProject, listen).Into(diagnostics);
        var environment = EnvironmentRules.Parse(inputs.EnvironmentVariables, new EnvironmentRules.Context(
            inputs.IsWebProject, accelerator.IsGpu, images.DotnetRuntime is not null, user, ports, frameworkMajor)).Into(diagnostics);
        PrivilegedPorts.Check(user, ports, inputs.EnvironmentVariables, diagnostics);
        var labels = LabelRules.Parse(
            new LabelRules.Metadata(inputs.AssemblyName, inputs.Title, inputs.Version, inputs.Description, inputs.Authors, inputs.SourceUrl),
            images.Runtime, inputs.Labels).Into(diagnostics);

        var entrypoint = EntrypointRules.Parse(inputs.AssemblyName, inputs.AppCommandArgs, inputs.DefaultArgs, workdir, selfContained,
            copiesRuntime: images.DotnetRuntime is not null).Into(diagnostics);
        var healthCheck = HealthCheckRules.Parse(inputs.HealthCheckPath, entrypoint.Command, ports, listen, frameworkMajor, catalog).Into(diagnostics);

        string context = ContextPaths.NormalizeDirectory(inputs.ContextDirectory);
        var sources = BuildContextRules.ParseSources(context, inputs.ProjectPath, inputs.DockerfilePath, inputs.RestoreInputs).Into(diagnostics);
        var models = ModelRules.Parse(context, inputs.ModelDirectory, inputs.Models).Into(diagnostics);
        var keep = BuildContextRules.ParseKeep(context, sources.RestoreInputs, models, inputs.BuildNeededFiles).Into(diagnostics);

        if (diagnostics.Count(d => d.IsError) > errorsBefore || sdk is null || sdkImage is null || images.Runtime is null || sources.ProjectPath is null)
        {
            return null;
        }

        if (inputs.WarnOnFloatingTags)
        {
            diagnostics.AddRange(BaseImageRules.FloatingTagWarnings(
                [(sdkImage, "ContainerSdkImage"), (images.Runtime, "ContainerBaseImage"), (images.DotnetRuntime, "ContainerDotnetRuntimeImage")]));
        }

        return new ContainerSpec
        {
            ToolVersion = inputs.ToolVersion,
            ProjectPath = sources.ProjectPath,
            DockerfilePath = sources.DockerfilePath,
            AssemblyName = inputs.AssemblyName,
            FrameworkMajor = frameworkMajor,
            SdkMajor = sdk.Major,
            SdkReason = sdk.Why,
            PublishFramework = publishFramework,
            IsWebProject = inputs.IsWebProject,
            SelfContained = selfContained,
            Configuration = configuration,
            SdkImage = sdkImage,
            RuntimeImage = images.Runtime,
            DotnetRuntimeImage = images.DotnetRuntime,
            Gpu = images.Gpu,
            User = user,
            WorkingDirectory = workdir,
            Ports = ports,
            Environment = environment,
            Labels = labels,
            Entrypoint = entrypoint.Full,
            DefaultArgs = entrypoint.DefaultArgs,
            Models = models,
            HealthCheck = healthCheck,
            RestoreInputs = sources.RestoreInputs,
            KeepInContext = keep,
        };
    }
}
