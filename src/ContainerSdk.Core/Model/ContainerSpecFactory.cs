using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.Text;

namespace ContainerSdk.Model;

/// <summary>Validates <see cref="ContainerInputs"/> and makes the decisions (base images, user, ports, ...).</summary>
public static class ContainerSpecFactory
{
    public const string DefaultFamily = "noble-chiseled";
    public const string DefaultUser = "1654";
    public const string DefaultWorkingDirectory = "/app";
    public const string DotnetRoot = "/usr/share/dotnet";
    public const string DefaultModelDirectory = "/app/models";

    /// <summary>The health probe is a module initializer, which the runtime runs from .NET 5 on.</summary>
    public const int ModuleInitializerMajor = 5;

    /// <summary>ASP.NET Core reads ASPNETCORE_HTTP_PORTS from .NET 8 on; older images set ASPNETCORE_URLS=http://+:80.</summary>
    public const int HttpPortsMajor = 8;

    /// <summary>The argument the probe ContainerSdk compiles into the app (ContainerSdkProbe.cs) answers to.</summary>
    public const string ProbeArgument = "--containersdk-probe";

    public static readonly string[] GpuPackages = ["Microsoft.ML.OnnxRuntime.Gpu.Linux", "Microsoft.ML.OnnxRuntime.Gpu"];

    private static readonly Regex FamilyPattern = new("^[a-z0-9]+(?:[.-][a-z0-9]+)*$", RegexOptions.CultureInvariant);
    private static readonly Regex EnvNamePattern = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
    private static readonly Regex LabelNamePattern = new("^[A-Za-z0-9][A-Za-z0-9._/-]{0,255}$", RegexOptions.CultureInvariant);
    private static readonly Regex UserPattern = new(@"^(?<uid>\d{1,10})(?::(?<gid>\d{1,10}))?$", RegexOptions.CultureInvariant);
    private static readonly Regex FrameworkPattern = new("^net(?:coreapp)?[0-9]+[.][0-9]+(?:-[a-z0-9.]+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex HealthPathPattern = new("^/[A-Za-z0-9._~/-]{0,200}$", RegexOptions.CultureInvariant);
    private static readonly Regex ConfigurationPattern = new("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant);
    private static readonly Regex WorkdirPattern = new("^/[A-Za-z0-9._/-]{0,254}$", RegexOptions.CultureInvariant);

    public static ContainerSpec? Create(ContainerInputs inputs, List<ContainerDiagnostic> diagnostics, BaseImageCatalog? catalog = null)
    {
        catalog ??= BaseImageCatalog.Default;
        int errorsBefore = diagnostics.Count(d => d.IsError);

        int frameworkMajor = ReadFramework(inputs, catalog, diagnostics);
        bool selfContained = ReadBool("SelfContained", inputs.SelfContained, false, diagnostics);
        bool allowRoot = ReadBool("ContainerAllowRootUser", inputs.AllowRootUser, false, diagnostics);

        var release = catalog.FindDotnet(frameworkMajor);
        if (release is { IsLegacy: true })
        {
            var next = catalog.FirstSupportedAfter(release.Major);
            var legacyImage = BaseImageCatalog.DotnetImage(selfContained ? "runtime-deps" : inputs.IsWebProject ? "aspnet" : "runtime", release.Channel, "");
            diagnostics.Add(ContainerDiagnostic.Warning("CSDK2020", release.DisplayName, release.Moniker, release.EndOfSupport, legacyImage, next.DisplayName, next.Moniker));
        }
        else if (release is { Supported: false })
        {
            var newest = catalog.NewestSupportedDotnet;
            diagnostics.Add(ContainerDiagnostic.Warning("CSDK2011", release.Major, release.EndOfSupport, ".NET " + newest.Major, newest.Major));
        }

        string family = string.IsNullOrWhiteSpace(inputs.Family) ? release?.DefaultFamily ?? DefaultFamily : inputs.Family!.Trim();
        if ((family.Length > 0 || !string.IsNullOrEmpty(inputs.Family)) && (!FamilyPattern.IsMatch(family) || family.Length > 64))
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1013", ValueRules.Printable(family)));
        }

        var accelerator = (inputs.Accelerator ?? "").Trim().ToLowerInvariant();
        if (accelerator.Length == 0)
        {
            accelerator = "auto";
        }

        if (accelerator is not ("auto" or "cpu" or "cuda"))
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1005", ValueRules.Printable(inputs.Accelerator!)));
        }

        var gpuPackage = GpuPackages
            .Select(id => inputs.ResolvedPackages.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(p => p is not null);
        bool isGpu = accelerator == "cuda" || (accelerator == "auto" && gpuPackage is not null);
        if (accelerator == "cuda" && gpuPackage is null)
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK2006"));
        }

        string runtimeRepository = selfContained ? "runtime-deps" : inputs.IsWebProject ? "aspnet" : "runtime";
        var floating = new List<(ImageReference Image, string Property)>();

        var sdk = frameworkMajor == 0 ? null : SdkSelection.Choose(inputs, frameworkMajor, catalog, diagnostics);
        ImageReference? sdkImage = sdk is null ? null : ParseImage("ContainerSdkImage", inputs.SdkImage, BaseImageCatalog.DotnetImage("sdk", sdk.Channel, ""), diagnostics);
        string runtimeChannel = catalog.Channel(frameworkMajor);
        ImageReference? runtimeImage;
        ImageReference? dotnetRuntimeImage = null;
        GpuSelection? gpu = null;
        if (isGpu && gpuPackage is not null)
        {
            (runtimeImage, gpu) = ChooseCudaImage(inputs, gpuPackage, catalog, diagnostics);
            if (!selfContained)
            {
                dotnetRuntimeImage = ParseImage("ContainerDotnetRuntimeImage", inputs.DotnetRuntimeImage, BaseImageCatalog.DotnetImage(runtimeRepository, runtimeChannel, family), diagnostics);
            }
        }
        else
        {
            runtimeImage = ParseImage("ContainerBaseImage", inputs.BaseImage, BaseImageCatalog.DotnetImage(runtimeRepository, runtimeChannel, family), diagnostics);
        }

        if (sdkImage is not null)
        {
            floating.Add((sdkImage, "ContainerSdkImage"));
        }

        if (runtimeImage is not null)
        {
            floating.Add((runtimeImage, "ContainerBaseImage"));
        }

        if (dotnetRuntimeImage is not null)
        {
            floating.Add((dotnetRuntimeImage, "ContainerDotnetRuntimeImage"));
        }

        CheckMuslOnnxRuntime(inputs, [runtimeImage, dotnetRuntimeImage], diagnostics);

        string configuration = string.IsNullOrWhiteSpace(inputs.Configuration) ? "Release" : inputs.Configuration.Trim();
        if (!ConfigurationPattern.IsMatch(configuration))
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1017", ValueRules.Printable(configuration)));
        }

        string? publishFramework = string.IsNullOrWhiteSpace(inputs.PublishFramework) ? null : inputs.PublishFramework!.Trim();
        if (publishFramework is not null && !FrameworkPattern.IsMatch(publishFramework))
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1012", ValueRules.Printable(publishFramework)));
        }

        string user = ReadUser(inputs.User, allowRoot, diagnostics);
        string workdir = string.IsNullOrWhiteSpace(inputs.WorkingDirectory) ? DefaultWorkingDirectory : inputs.WorkingDirectory!.Trim();
        if (!WorkdirPattern.IsMatch(workdir) || workdir.Split('/').Any(s => s is "." or ".."))
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1011", ValueRules.Printable(workdir)));
        }

        workdir = workdir.Length > 1 ? workdir.TrimEnd('/') : workdir;

        var listen = ListenPorts.From(inputs.EnvironmentVariables);
        var ports = ReadPorts(inputs, listen, diagnostics);
        var environment = ReadEnvironment(inputs, isGpu, dotnetRuntimeImage is not null, user, ports, frameworkMajor, diagnostics);
        PrivilegedPorts.Check(user, ports, inputs.EnvironmentVariables, diagnostics);
        var labels = ReadLabels(inputs, runtimeImage, diagnostics);

        string assembly = inputs.AssemblyName;
        if (!ValueRules.IsSafePath(assembly) || assembly.Length == 0 || assembly.IndexOf('/') >= 0)
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1014", ValueRules.Printable(assembly)));
        }

        var args = new List<string>();
        foreach (var arg in inputs.AppCommandArgs)
        {
            if (ValueRules.CheckValue("ContainerAppCommandArgs item", arg, diagnostics))
            {
                args.Add(arg);
            }
        }

        var defaultArgs = new List<string>();
        foreach (var arg in inputs.DefaultArgs)
        {
            if (ValueRules.CheckValue("ContainerDefaultArgs item", arg, diagnostics))
            {
                defaultArgs.Add(arg);
            }
        }

        string appPath = workdir.TrimEnd('/') + "/" + assembly;
        var entrypoint = selfContained
            ? new List<string> { appPath }
            : new List<string> { dotnetRuntimeImage is not null ? DotnetRoot + "/dotnet" : "dotnet", appPath + ".dll" };
        List<string>? healthCheck = null;
        if (!string.IsNullOrWhiteSpace(inputs.HealthCheckPath))
        {
            var path = inputs.HealthCheckPath!.Trim();
            // The probe speaks plain http: it goes to a port the app serves http on, when the environment says which.
            var port = ports.FirstOrDefault(p => p.Protocol == "tcp" && (listen is null || listen.Http.Contains(p.Number)));
            if (frameworkMajor is > 0 and < ModuleInitializerMajor)
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK2021", release?.Moniker ?? "net" + frameworkMajor, catalog.FirstSupportedAfter(frameworkMajor).Moniker));
            }
            else if (HealthPathPattern.IsMatch(path) && port is null && listen is not null && ports.Any(p => p.Protocol == "tcp" && listen.All.Contains(p.Number)))
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1020", listen, listen.Variable,
                    "ContainerHealthCheckPath is probed over plain http, which none of those ports serves", "the health probe"));
            }
            else if (!HealthPathPattern.IsMatch(path) || port is null)
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1019", ValueRules.Printable(path)));
            }
            else
            {
                // The app itself is the probe: distroless images have no shell and no curl.
                healthCheck = [.. entrypoint, ProbeArgument, $"http://127.0.0.1:{port.Number}{path}"];
            }
        }

        entrypoint.AddRange(args);

        string context = NormalizeDirectory(inputs.ContextDirectory);
        string? projectPath = Relative(context, inputs.ProjectPath, diagnostics, required: true);
        string dockerfilePath = string.IsNullOrEmpty(inputs.DockerfilePath)
            ? "Dockerfile"
            : Relative(context, inputs.DockerfilePath, diagnostics, required: false) ?? Path.GetFileName(inputs.DockerfilePath);
        var restoreInputs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in inputs.RestoreInputs)
        {
            var relative = Relative(context, path, diagnostics, required: true);
            if (relative is not null)
            {
                restoreInputs.Add(relative);
            }
        }

        if (projectPath is not null)
        {
            restoreInputs.Add(projectPath);
        }

        var models = ReadModels(inputs, context, diagnostics);
        var keep = new SortedSet<string>(restoreInputs.Concat(models.SelectMany(m => m.ExternalData.Select(e => e.Source).Prepend(m.Source))), StringComparer.Ordinal);
        foreach (var path in inputs.BuildNeededFiles)
        {
            var relative = Relative(context, path, diagnostics, required: false);
            // Generated sources under obj/ are rebuilt in the image; only real inputs need keeping.
            if (relative is not null && !relative.Split('/').Any(s => s is "obj" or "bin"))
            {
                keep.Add(relative);
            }
        }

        if (diagnostics.Count(d => d.IsError) > errorsBefore || sdk is null || sdkImage is null || runtimeImage is null || projectPath is null)
        {
            return null;
        }

        if (inputs.WarnOnFloatingTags)
        {
            foreach (var (image, property) in floating.Where(f => !f.Image.IsPinned))
            {
                diagnostics.Add(ContainerDiagnostic.Warning("CSDK2003", image.NameAndTag, property));
            }
        }

        return new ContainerSpec
        {
            ToolVersion = inputs.ToolVersion,
            ProjectPath = projectPath,
            DockerfilePath = ValueRules.IsSafePath(dockerfilePath) ? dockerfilePath : "Dockerfile",
            AssemblyName = assembly,
            FrameworkMajor = frameworkMajor,
            SdkMajor = sdk!.Major,
            SdkReason = sdk.Why,
            PublishFramework = publishFramework,
            IsWebProject = inputs.IsWebProject,
            SelfContained = selfContained,
            Configuration = configuration,
            SdkImage = sdkImage,
            RuntimeImage = runtimeImage,
            DotnetRuntimeImage = dotnetRuntimeImage,
            Gpu = gpu,
            User = user,
            WorkingDirectory = workdir,
            Ports = ports,
            Environment = environment,
            Labels = labels,
            Entrypoint = entrypoint,
            DefaultArgs = defaultArgs,
            Models = models,
            HealthCheck = healthCheck,
            RestoreInputs = restoreInputs.ToList(),
            KeepInContext = keep.ToList(),
        };
    }

    private static List<ModelFile> ReadModels(ContainerInputs inputs, string context, List<ContainerDiagnostic> diagnostics)
    {
        var directory = string.IsNullOrWhiteSpace(inputs.ModelDirectory) ? DefaultModelDirectory : inputs.ModelDirectory!.Trim().TrimEnd('/');
        var models = new List<ModelFile>();
        foreach (var model in inputs.Models)
        {
            var source = Relative(context, model.Path, diagnostics, required: true);
            if (source is null)
            {
                continue;
            }

            var target = string.IsNullOrWhiteSpace(model.ContainerPath)
                ? directory + "/" + source.Substring(source.LastIndexOf('/') + 1)
                : model.ContainerPath!.Trim();
            if (!WorkdirPattern.IsMatch(target) || target.EndsWith("/", StringComparison.Ordinal) || target.Split('/').Any(s => s is "." or ".."))
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1018", ValueRules.Printable(target), ValueRules.Printable(model.Path)));
                continue;
            }

            if (models.All(m => m.Target != target))
            {
                var modelFolder = System.IO.Path.GetDirectoryName(model.Path) ?? "";
                var targetFolder = target.Substring(0, target.LastIndexOf('/'));
                var external = new List<ModelFile>();
                foreach (var data in model.ExternalData)
                {
                    var dataSource = Relative(context, data, diagnostics, required: true);
                    var location = data.Substring(modelFolder.Length).Replace('\\', '/').TrimStart('/');
                    if (dataSource is not null)
                    {
                        external.Add(new ModelFile(dataSource, targetFolder + "/" + location));
                    }
                }

                models.Add(new ModelFile(source, target) { ExternalData = external });
            }
        }

        return models;
    }

    private static int ReadFramework(ContainerInputs inputs, BaseImageCatalog catalog, List<ContainerDiagnostic> diagnostics)
    {
        var version = (inputs.TargetFrameworkVersion ?? "").TrimStart('v', 'V');
        if (inputs.TargetFrameworkIdentifier == ".NETCoreApp"
            && Version.TryParse(version.IndexOf('.') < 0 ? version + ".0" : version, out var parsed))
        {
            // Legacy releases are taken only in the version their last images were published for (3.1, not 3.0).
            var release = catalog.FindDotnet(parsed.Major);
            if (parsed.Major >= BaseImageCatalog.FirstModernMajor
                || (release is { IsLegacy: true } && release.Channel == parsed.Major.ToString(CultureInfo.InvariantCulture) + "." + parsed.Minor.ToString(CultureInfo.InvariantCulture)))
            {
                return parsed.Major;
            }
        }

        diagnostics.Add(ContainerDiagnostic.Error("CSDK1012", ValueRules.Printable(inputs.TargetFrameworkIdentifier + ",Version=" + inputs.TargetFrameworkVersion)));
        return 0;
    }

    private static bool ReadBool(string property, string? value, bool defaultValue, List<ContainerDiagnostic> diagnostics)
    {
        if (ValueRules.IsTrueFalse(value, defaultValue, out var result))
        {
            return result;
        }

        diagnostics.Add(ContainerDiagnostic.Error("CSDK1016", property, ValueRules.Printable(value!)));
        return defaultValue;
    }

    private static ImageReference? ParseImage(string property, string? value, string defaultValue, List<ContainerDiagnostic> diagnostics)
    {
        var text = string.IsNullOrWhiteSpace(value) ? defaultValue : value!.Trim();
        if (ImageReference.TryParse(text, out var image))
        {
            return image;
        }

        diagnostics.Add(ContainerDiagnostic.Error("CSDK1001", property, ValueRules.Printable(text)));
        return null;
    }

    private static (ImageReference? Image, GpuSelection? Gpu) ChooseCudaImage(
        ContainerInputs inputs, PackageInput package, BaseImageCatalog catalog, List<ContainerDiagnostic> diagnostics)
    {
        var ortVersion = BaseImageCatalog.ParseNuGetVersion(package.Version);
        var requirement = ortVersion is null ? null : catalog.FindOnnxRuntime(ortVersion);
        if (requirement is null && !string.IsNullOrWhiteSpace(inputs.BaseImage))
        {
            // Older than the table: nothing to check against, so the explicitly chosen image is taken as is.
            return (ParseImage("ContainerBaseImage", inputs.BaseImage, "", diagnostics), null);
        }

        if (requirement is null)
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK2007", package.Id, ValueRules.Printable(package.Version), catalog.OnnxRuntime[0].From));
            return (null, null);
        }

        var sonames = catalog.CudaSonames[requirement.CudaMajor].Concat(catalog.CudnnSonames[requirement.CudnnMajor]).ToList();
        var gpu = new GpuSelection(package.Id, package.Version, requirement.CudaMajor, requirement.CudnnMajor, sonames);
        var defaultImage = catalog.DefaultImage(requirement);

        if (!string.IsNullOrWhiteSpace(inputs.BaseImage))
        {
            var image = ParseImage("ContainerBaseImage", inputs.BaseImage, "", diagnostics);
            if (image is not null && BaseImageCatalog.TryReadCudaTag(image, out var cuda, out var cudnn))
            {
                CheckCuda(image, cuda!.Major, cudnn, requirement, gpu, defaultImage, diagnostics);
            }

            return (image, gpu);
        }

        CudaImage chosen = defaultImage;
        if (!string.IsNullOrWhiteSpace(inputs.CudaVersion))
        {
            var requested = catalog.FindCuda(inputs.CudaVersion!.Trim());
            if (requested is null)
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1006", ValueRules.Printable(inputs.CudaVersion), catalog.KnownCudaVersions));
                return (null, gpu);
            }

            chosen = requested;
        }

        ImageReference.TryParse(chosen.Image, out var chosenImage);
        CheckCuda(chosenImage!, chosen.CudaVersion.Major, chosen.CudnnMajor, requirement, gpu, defaultImage, diagnostics);
        return (chosenImage, gpu);
    }

    private static void CheckCuda(
        ImageReference image, int cudaMajor, int? cudnnMajor, OrtCudaRequirement requirement, GpuSelection gpu,
        CudaImage defaultImage, List<ContainerDiagnostic> diagnostics)
    {
        if (cudaMajor != requirement.CudaMajor || (cudnnMajor is not null && cudnnMajor != requirement.CudnnMajor))
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK2005", image.ToString(), cudaMajor + (cudnnMajor is null ? "" : " with cuDNN " + cudnnMajor),
                gpu.PackageId, gpu.PackageVersion, requirement.CudaMajor, requirement.CudnnMajor, string.Join(", ", gpu.Sonames), defaultImage.Image));
        }
        else if (cudnnMajor is null)
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK2009", image.ToString(), gpu.PackageId, gpu.PackageVersion, requirement.CudnnMajor, defaultImage.Image));
        }
    }

    /// <summary>ContainerUser as <c>uid:gid</c> (CSDK1003/CSDK1004); shared with the Kubernetes manifests.</summary>
    public static string ReadUser(string? value, bool allowRoot, List<ContainerDiagnostic> diagnostics)
    {
        var user = string.IsNullOrWhiteSpace(value) ? DefaultUser : value!.Trim();
        if (string.Equals(user, "root", StringComparison.Ordinal) || user.StartsWith("root:", StringComparison.Ordinal))
        {
            if (allowRoot)
            {
                return user.Length > 4 ? "0" + user.Substring(4) : "0:0";
            }

            diagnostics.Add(ContainerDiagnostic.Error("CSDK1004", user));
            return user;
        }

        var match = UserPattern.Match(user);
        if (!match.Success
            || !uint.TryParse(match.Groups["uid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || (match.Groups["gid"].Success && !uint.TryParse(match.Groups["gid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1003", ValueRules.Printable(user)));
            return user;
        }

        if (uid == 0 && !allowRoot)
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1004", user));
        }

        // Without a group, an image with no passwd entry for the UID (CUDA bases) runs it in group 0 (root), which
        // can write every group-writable root file. The group defaults to the UID, as the .NET images' app:app.
        return match.Groups["gid"].Success ? user : user + ":" + user;
    }

    /// <summary>@(ContainerPort), else the port the app listens on (<paramref name="listen"/>, from its environment),
    /// else 8080/tcp for a web project (CSDK1002, CSDK1020); shared with the Kubernetes manifests.</summary>
    public static List<ContainerPort> ReadPorts(ContainerInputs inputs, ListenPorts? listen, List<ContainerDiagnostic> diagnostics)
    {
        var ports = new List<ContainerPort>();
        foreach (var input in inputs.Ports)
        {
            var text = input.Port.Trim();
            var type = string.IsNullOrWhiteSpace(input.Type) ? "tcp" : input.Type!.Trim().ToLowerInvariant();
            int slash = text.IndexOf('/');
            if (slash >= 0)
            {
                type = text.Substring(slash + 1).ToLowerInvariant();
                text = text.Substring(0, slash);
            }

            if (text.Length is > 0 and <= 5 && text.All(c => c >= '0' && c <= '9')
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number is >= 1 and <= 65535 && type is "tcp" or "udp")
            {
                var port = new ContainerPort(number, type);
                if (!ports.Contains(port))
                {
                    ports.Add(port);
                }
            }
            else
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1002", ValueRules.Printable(input.Port + (input.Type is null ? "" : " Type=" + input.Type))));
            }
        }

        var tcp = ports.Where(p => p.Protocol == "tcp").ToList();
        if (listen is not null && tcp.Count == 0)
        {
            // EXPOSE (and the probe) follow the port the app was told to listen on.
            ports.AddRange(listen.All.Select(p => new ContainerPort(p, "tcp")));
        }
        else if (listen is not null && !tcp.Any(p => listen.All.Contains(p.Number)))
        {
            diagnostics.Add(ContainerDiagnostic.Error("CSDK1020", listen, listen.Variable,
                "ContainerPort is " + string.Join(", ", tcp.Select(p => p.Number.ToString(CultureInfo.InvariantCulture))), "EXPOSE and the health probe"));
        }
        else if (ports.Count == 0 && inputs.IsWebProject)
        {
            ports.Add(new ContainerPort(8080, "tcp"));
        }

        return ports;
    }

    private static List<NameValue> ReadEnvironment(
        ContainerInputs inputs, bool isGpu, bool copiesRuntime, string user, List<ContainerPort> ports, int frameworkMajor, List<ContainerDiagnostic> diagnostics)
    {
        var result = new List<NameValue>();
        var userNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in inputs.EnvironmentVariables)
        {
            if (!EnvNamePattern.IsMatch(variable.Name) || variable.Name.Length > 256)
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1007", ValueRules.Printable(variable.Name)));
                continue;
            }

            if (ValueRules.CheckValue($"ContainerEnvironmentVariable '{variable.Name}'", variable.Value, diagnostics))
            {
                userNames.Add(variable.Name);
                result.Add(variable);
            }
        }

        var defaults = new List<NameValue>();
        // The app's own URLS/HTTP_PORTS/HTTPS_PORTS stand as they are: a default HTTP_PORTS beside HTTPS_PORTS would
        // bind the same port twice.
        if (inputs.IsWebProject && !userNames.Contains("ASPNETCORE_URLS") && ListenPorts.From(result) is null)
        {
            var tcp = ports.Where(p => p.Protocol == "tcp").Select(p => p.Number.ToString(CultureInfo.InvariantCulture)).ToList();
            if (tcp.Count > 0 && frameworkMajor >= HttpPortsMajor)
            {
                defaults.Add(new NameValue("ASPNETCORE_HTTP_PORTS", string.Join(";", tcp)));
            }
            else if (tcp.Count > 0 && !userNames.Contains("ASPNETCORE_HTTP_PORTS"))
            {
                // Before .NET 8 the aspnet images listen on http://+:80, which a non-root user cannot bind on Kubernetes.
                defaults.Add(new NameValue("ASPNETCORE_URLS", string.Join(";", tcp.Select(p => "http://+:" + p))));
            }
        }

        if (isGpu)
        {
            // The NVIDIA container toolkit reads these; compute,utility is what CUDA inference needs (not "all").
            defaults.Add(new NameValue("NVIDIA_VISIBLE_DEVICES", "all"));
            defaults.Add(new NameValue("NVIDIA_DRIVER_CAPABILITIES", "compute,utility"));
            // CUDA images carry no ICU; without this .NET stops at startup.
            defaults.Add(new NameValue("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "true"));
            defaults.Add(new NameValue("DOTNET_RUNNING_IN_CONTAINER", "true"));
            defaults.Add(new NameValue("APP_UID", user.Split(':')[0]));
            if (copiesRuntime)
            {
                defaults.Add(new NameValue("DOTNET_ROOT", DotnetRoot));
            }
        }

        return defaults.Where(d => !userNames.Contains(d.Name)).Concat(result).ToList();
    }

    private static List<NameValue> ReadLabels(ContainerInputs inputs, ImageReference? runtimeImage, List<ContainerDiagnostic> diagnostics)
    {
        var auto = new List<NameValue>();
        void AddAuto(string name, string? value, string property, bool prose = false)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return;
            }

            // Prose metadata written for NuGet (several lines, long) is made fit for a label; identifiers are refused.
            var text = prose ? LabelText.Normalize(property, name, value!, diagnostics) : value!.Trim();
            if (text.Length > 0 && ValueRules.CheckValue(property, text, diagnostics))
            {
                auto.Add(new NameValue(name, text));
            }
        }

        AddAuto("org.opencontainers.image.title", string.IsNullOrWhiteSpace(inputs.Title) ? inputs.AssemblyName : inputs.Title, "Title", prose: true);
        AddAuto("org.opencontainers.image.version", inputs.Version, "Version");
        AddAuto("org.opencontainers.image.description", inputs.Description, "Description", prose: true);
        // The SDK defaults Authors to the assembly name, which says nothing about who made the image.
        AddAuto("org.opencontainers.image.authors", inputs.Authors == inputs.AssemblyName ? null : inputs.Authors, "Authors", prose: true);
        AddAuto("org.opencontainers.image.source", inputs.SourceUrl, "RepositoryUrl");
        if (runtimeImage is not null)
        {
            auto.Add(new NameValue("org.opencontainers.image.base.name", runtimeImage.ToString()));
        }

        var user = new List<NameValue>();
        foreach (var label in inputs.Labels)
        {
            if (!LabelNamePattern.IsMatch(label.Name))
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1010", ValueRules.Printable(label.Name)));
                continue;
            }

            if (ValueRules.CheckValue($"ContainerLabel '{label.Name}'", label.Value, diagnostics))
            {
                user.RemoveAll(l => l.Name == label.Name);
                user.Add(label);
            }
        }

        return auto.Where(a => user.All(u => u.Name != a.Name)).Concat(user).ToList();
    }

    /// <summary>
    /// libonnxruntime.so is built against glibc: on an Alpine (musl) base the app starts and then fails to load it.
    /// The same CSDK4003 as a linux-musl build, read from what the resolved package really ships.
    /// </summary>
    private static void CheckMuslOnnxRuntime(ContainerInputs inputs, IEnumerable<ImageReference?> images, List<ContainerDiagnostic> diagnostics)
    {
        if (!images.Any(i => i is not null && IsMusl(i)))
        {
            return;
        }

        const string rid = "linux-musl-x64";
        var found = OnnxRuntime.OnnxRuntimePackaging.Check(inputs.ResolvedPackages, rid,
                p => inputs.NativeRuntimeIdentifiers.TryGetValue(p.Id, out var rids) ? rids : null)
            .Where(d => d.Code == "CSDK4003")
            .ToList();
        var native = OnnxRuntime.OnnxRuntimePackaging.NativePackages
            .Select(id => inputs.ResolvedPackages.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(p => p is not null);
        if (found.Count == 0 && native is not null && !inputs.NativeRuntimeIdentifiers.Keys.Any(k => string.Equals(k, native.Id, StringComparison.OrdinalIgnoreCase)))
        {
            // Not in the package folders (restore has not run): no ONNX Runtime package has ever shipped a musl build.
            found.Add(ContainerDiagnostic.Error("CSDK4003", native.Id, native.Version, rid, "unknown, the package is not in the NuGet package folders"));
        }

        diagnostics.AddRange(found);
    }

    /// <summary>Alpine is the musl distribution .NET publishes images for (tags such as 10.0-alpine, alpine3.22).</summary>
    internal static bool IsMusl(ImageReference image)
    {
        var name = image.Repository.Substring(image.Repository.LastIndexOf('/') + 1);
        var tag = image.Tag ?? "";
        return name is "alpine" || tag.IndexOf("alpine", StringComparison.OrdinalIgnoreCase) >= 0 || tag.IndexOf("musl", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    private static string NormalizeDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        return full.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? full : full + Path.DirectorySeparatorChar;
    }

    /// <summary>Context-relative path with '/' separators; folders (given with a trailing separator) keep a trailing '/'.</summary>
    private static string? Relative(string context, string path, List<ContainerDiagnostic> diagnostics, bool required)
    {
        bool isDirectory = path.EndsWith("/", StringComparison.Ordinal) || path.EndsWith("\\", StringComparison.Ordinal);
        if (ValueRules.HasControlCharacter(path))
        {
            if (required)
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1014", ValueRules.Printable(path)));
            }

            return null;
        }

        var full = Path.GetFullPath(path);
        if (!full.StartsWith(context, StringComparison.Ordinal))
        {
            if (required)
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1015", ValueRules.Printable(path), context.TrimEnd(Path.DirectorySeparatorChar)));
            }

            return null;
        }

        var relative = full.Substring(context.Length).Replace('\\', '/').TrimEnd('/');
        if (!ValueRules.IsSafePath(relative) || relative.Length == 0)
        {
            if (required)
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK1014", ValueRules.Printable(relative)));
            }

            return null;
        }

        return isDirectory ? relative + "/" : relative;
    }
}
