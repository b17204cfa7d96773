using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Generation;
using ContainerSdk.Images;
using ContainerSdk.Model;
using ContainerSdk.Model.Rules;
using ContainerSdk.Text;
using k8s;
using k8s.Models;

namespace ContainerSdk.Kubernetes;

public sealed record KubernetesManifestResult(string? Yaml, string? Name, string? Image, IReadOnlyList<ContainerDiagnostic> Diagnostics)
{
    public bool Succeeded => Yaml is not null && !Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// The project's container settings as Kubernetes objects (KubernetesClient's typed models, its YAML serializer):
/// a Deployment and a ClusterIP Service, or a KServe InferenceService. Hardened by default: non-root with the image's
/// numeric user, no privilege escalation, read-only root with an emptyDir at /tmp, every capability dropped,
/// RuntimeDefault seccomp, no service account token. Sealed like the Dockerfile (header, content hash): deterministic.
/// </summary>
public static class KubernetesManifestGenerator
{
    public const string ManagedBy = "ContainerSdk";
    public const string GpuResource = "nvidia.com/gpu";
    public const string KServeContainerName = "kserve-container";

    /// <summary>The one writable folder on the read-only root: .NET's diagnostics IPC socket, Path.GetTempPath() and
    /// single-file extraction use it. Run here read-only, an ASP.NET app and ONNX Runtime needed nothing else
    /// (tests/image/kube-tests.sh runs the generated Deployment that way).</summary>
    public const string TmpPath = "/tmp";

    private static readonly Regex HealthPathPattern = new("^/[A-Za-z0-9._~/-]{0,200}$", RegexOptions.CultureInvariant);

    // Kubernetes' own quantity grammar (k8s.io/apimachinery resource.Quantity): a number and an optional suffix.
    private static readonly Regex QuantityPattern = new(@"^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant);

    public static KubernetesManifestResult Generate(KubernetesManifestInputs inputs)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        string kind = string.IsNullOrWhiteSpace(inputs.Kind) ? "Deployment" : inputs.Kind!.Trim();
        bool kserve = string.Equals(kind, "InferenceService", StringComparison.OrdinalIgnoreCase);
        if (!kserve && !string.Equals(kind, "Deployment", StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1030", ValueRules.Printable(kind)));
        }

        string source = string.IsNullOrWhiteSpace(inputs.Repository) ? inputs.ProjectName : inputs.Repository!;
        string? name = KubernetesNames.FromProjectName(source);
        if (name is null)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2032", ValueRules.Printable(source)));
        }

        if (!ValueRules.IsTrueFalse(inputs.AllowRootUser, false, out bool allowRoot))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1016", "ContainerAllowRootUser", ValueRules.Printable(inputs.AllowRootUser!)));
        }

        string user = UserRules.Parse(inputs.User, allowRoot).Into(diagnostics);
        (long? uid, long? gid) = SplitUser(user);

        var ports = PortListRules.Parse(inputs.Ports, inputs.IsWebProject, listen: null).Into(diagnostics);
        var tcp = ports.Where(p => p.Protocol == "tcp").ToList();
        if (tcp.Count == 0 && !diagnostics.Any(d => d.Code == "CSDK1002"))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2033"));
        }

        string? readiness = ReadPath(inputs.HealthCheckPath, "CSDK1019", diagnostics);
        string? liveness = string.IsNullOrWhiteSpace(inputs.LivenessPath) ? readiness : ReadPath(inputs.LivenessPath, "CSDK1035", diagnostics);

        string accelerator = (inputs.Accelerator ?? "").Trim().ToLowerInvariant();
        if (accelerator.Length == 0)
        {
            accelerator = "auto";
        }

        if (accelerator is not ("auto" or "cpu" or "cuda"))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1005", ValueRules.Printable(inputs.Accelerator!)));
        }

        bool gpuPackage = inputs.ResolvedPackages.Any(p => AcceleratorRules.GpuPackages.Contains(p.Id, StringComparer.OrdinalIgnoreCase));
        bool cuda = accelerator == "cuda" || (accelerator == "auto" && gpuPackage);
        int gpus = 0;
        if (cuda)
        {
            gpus = ReadCount("ContainerGpuCount", inputs.GpuCount, 1, 1, 64, "CSDK1031", diagnostics);
        }

        int replicas = ReadCount("ContainerReplicas", inputs.Replicas, 1, 0, 1000, "CSDK1032", diagnostics);
        var resources = ReadResources(inputs, gpus, diagnostics);

        // The same checks (and code) as BuildContainerImage: the manifest must name an image an engine could push.
        string registry = (inputs.Registry ?? "").Trim().TrimEnd('/');
        if (registry.Length > 0 && !ImageReference.IsValidRegistry(registry))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK5008", "ContainerRegistry", ValueRules.Printable(registry), "a registry host with an optional port, such as ghcr.io or 127.0.0.1:5000"));
        }

        string repositoryValue = string.IsNullOrWhiteSpace(inputs.Repository) ? inputs.ProjectName.ToLowerInvariant() : inputs.Repository!.Trim();
        if (!ImageReference.IsValidRepository(repositoryValue))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK5008", "ContainerRepository", ValueRules.Printable(repositoryValue), "lowercase letters, digits and . _ - separators, path components joined by /"));
        }

        string firstTag = inputs.Tags.Select(t => t.Trim()).FirstOrDefault(t => t.Length > 0) ?? "latest";
        if (!ImageReference.IsValidTag(firstTag))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK5008", "ContainerImageTags", ValueRules.Printable(firstTag), "a tag of letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-')"));
        }

        string image = ImageName(inputs, out string imageName);
        string? digest = inputs.PushedDigest is { Length: > 0 } d && ImageInfo.IsDigest(d) ? d : null;
        if (digest is not null)
        {
            image = imageName + "@" + digest;
        }

        if (diagnostics.Any(x => x.IsError) || name is null)
        {
            return new KubernetesManifestResult(null, name, image, diagnostics);
        }

        var labels = Labels(name, inputs.Version);
        var container = new V1Container
        {
            Name = kserve ? KServeContainerName : name,
            Image = image,
            // A digest or a fixed tag never changes: pull once. A floating :latest is pulled every time (Kubernetes' own
            // default for it), so a node never runs a stale one.
            ImagePullPolicy = digest is null && image.EndsWith(":latest", StringComparison.Ordinal) ? "Always" : "IfNotPresent",
            Ports = (kserve ? tcp.Take(1) : ports).Select((p, i) => new V1ContainerPort
            {
                ContainerPort = p.Number,
                Protocol = p.Protocol.ToUpperInvariant(),
                // Knative (KServe's serverless mode) accepts only http1/h2c as port names: KServe's port stays unnamed.
                Name = kserve ? null : PortName(p, i),
            }).ToList(),
            ReadinessProbe = Probe(readiness, tcp[0].Number, periodSeconds: 5),
            LivenessProbe = Probe(liveness, tcp[0].Number, periodSeconds: 10),
            Resources = resources,
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Privileged = false,
                ReadOnlyRootFilesystem = true,
                RunAsNonRoot = uid != 0,
                RunAsUser = uid,
                RunAsGroup = gid,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = TmpPath }],
        };
        var pod = new V1PodSpec
        {
            AutomountServiceAccountToken = false,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = uid != 0,
                RunAsUser = uid,
                RunAsGroup = gid,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            Containers = [container],
            Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }],
        };

        var objects = new List<object>();
        if (kserve)
        {
            objects.Add(new V1beta1InferenceService
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = labels },
                Spec = new V1beta1InferenceServiceSpec { Predictor = V1beta1PredictorSpec.From(pod, replicas) },
            });
        }
        else
        {
            var selector = Selector(name);
            objects.Add(new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = new V1ObjectMeta { Name = name, Labels = labels },
                Spec = new V1DeploymentSpec
                {
                    Replicas = replicas,
                    Selector = new V1LabelSelector { MatchLabels = selector },
                    Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = pod },
                },
            });
            objects.Add(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = name, Labels = labels },
                Spec = new V1ServiceSpec
                {
                    Type = "ClusterIP",
                    Selector = selector,
                    Ports = ports.Select((p, i) => new V1ServicePort
                    {
                        Name = PortName(p, i),
                        Port = p.Number,
                        TargetPort = p.Number,
                        Protocol = p.Protocol.ToUpperInvariant(),
                    }).ToList(),
                },
            });
        }

        string body = string.Join("---\n", objects.Select(o => Normalize(KubernetesYaml.Serialize(o))));
        var header = new List<string>
        {
            $"# Generated by ContainerSdk {inputs.ToolVersion} from {inputs.ProjectPath}; rewritten while unedited.",
            "# A hand edit makes ContainerSdk leave this file alone. To regenerate it anyway:",
            $"#   dotnet build {inputs.ProjectPath} -t:GenerateKubernetesManifests -p:ContainerKubernetesManifestOverwrite=true",
            "# Apply: kubectl apply -f <this file>",
        };
        return new KubernetesManifestResult(GeneratedText.Seal(header, body), name, image, diagnostics);
    }

    /// <summary>The image without tag or digest (<c>registry/repository</c>) and with the first tag.</summary>
    public static string ImageName(KubernetesManifestInputs inputs, out string withoutTag)
    {
        string repository = string.IsNullOrWhiteSpace(inputs.Repository) ? inputs.ProjectName.ToLowerInvariant() : inputs.Repository!.Trim();
        withoutTag = string.IsNullOrWhiteSpace(inputs.Registry) ? repository : inputs.Registry!.Trim().TrimEnd('/') + "/" + repository;
        string tag = inputs.Tags.Select(t => t.Trim()).FirstOrDefault(t => t.Length > 0) ?? "latest";
        return withoutTag + ":" + tag;
    }

    private static string Normalize(string yaml)
    {
        string text = yaml.Replace("\r\n", "\n");
        return text.EndsWith("\n", StringComparison.Ordinal) ? text : text + "\n";
    }

    private static Dictionary<string, string> Selector(string name) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = name,
        ["app.kubernetes.io/instance"] = name,
    };

    private static Dictionary<string, string> Labels(string name, string? version)
    {
        var labels = Selector(name);
        labels["app.kubernetes.io/component"] = "inference";
        labels["app.kubernetes.io/managed-by"] = ManagedBy;
        if (KubernetesNames.LabelValueFrom(version) is { } value)
        {
            labels["app.kubernetes.io/version"] = value;
        }

        // Sorted, so the YAML does not depend on insertion order.
        return labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
    }

    private static string PortName(ContainerPort port, int index) =>
        index == 0 && port.Protocol == "tcp" ? "http" : port.Protocol + "-" + port.Number.ToString(CultureInfo.InvariantCulture);

    /// <summary>HTTP GET on the path when there is one, else a TCP connect: both on the container port's number (not its
    /// name), so the probe still works where the port list is dropped (host networking).</summary>
    private static V1Probe Probe(string? path, int port, int periodSeconds) => new()
    {
        HttpGet = path is null ? null : new V1HTTPGetAction { Path = path, Port = port },
        TcpSocket = path is null ? new V1TCPSocketAction { Port = port } : null,
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 2,
        FailureThreshold = 3,
    };

    private static string? ReadPath(string? value, string code, List<ContainerDiagnostic> diagnostics)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string path = value!.Trim();
        if (!HealthPathPattern.IsMatch(path))
        {
            diagnostics.Add(ContainerDiagnostic.Create(code, ValueRules.Printable(path)));
            return null;
        }

        return path;
    }

    private static int ReadCount(string property, string? value, int fallback, int min, int max, string code, List<ContainerDiagnostic> diagnostics)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        string text = value!.Trim();
        if (text.Length <= 5 && text.All(c => c is >= '0' and <= '9') && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max)
        {
            return n;
        }

        diagnostics.Add(ContainerDiagnostic.Create(code, ValueRules.Printable(text)));
        return fallback;
    }

    private static V1ResourceRequirements? ReadResources(KubernetesManifestInputs inputs, int gpus, List<ContainerDiagnostic> diagnostics)
    {
        var requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        void Pair(string resource, string requestProperty, string? request, string limitProperty, string? limit)
        {
            var r = Quantity(requestProperty, request, diagnostics);
            var l = Quantity(limitProperty, limit, diagnostics);
            if (r is not null)
            {
                requests[resource] = r;
            }

            if (l is not null)
            {
                limits[resource] = l;
            }

            if (r is not null && l is not null && r.ToDecimal() > l.ToDecimal())
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1034", requestProperty, request!.Trim(), limitProperty, limit!.Trim()));
            }
        }

        Pair("cpu", "ContainerCpuRequest", inputs.CpuRequest, "ContainerCpuLimit", inputs.CpuLimit);
        Pair("memory", "ContainerMemoryRequest", inputs.MemoryRequest, "ContainerMemoryLimit", inputs.MemoryLimit);
        if (gpus > 0)
        {
            // Extended resources such as GPUs are not overcommitted: Kubernetes takes the limit as the request too, and a
            // request without a limit is rejected. So the GPU goes in limits only.
            limits[GpuResource] = new ResourceQuantity(gpus.ToString(CultureInfo.InvariantCulture));
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return null;
        }

        return new V1ResourceRequirements
        {
            Requests = requests.Count == 0 ? null : new Dictionary<string, ResourceQuantity>(requests, StringComparer.Ordinal),
            Limits = limits.Count == 0 ? null : new Dictionary<string, ResourceQuantity>(limits, StringComparer.Ordinal),
        };
    }

    private static ResourceQuantity? Quantity(string property, string? value, List<ContainerDiagnostic> diagnostics)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string text = value!.Trim();
        if (QuantityPattern.IsMatch(text))
        {
            try
            {
                var quantity = new ResourceQuantity(text);
                if (quantity.ToDecimal() > 0)
                {
                    return quantity;
                }
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                // Reported below.
            }
        }

        diagnostics.Add(ContainerDiagnostic.Create("CSDK1033", property, ValueRules.Printable(text)));
        return null;
    }

    private static (long? Uid, long? Gid) SplitUser(string user)
    {
        string[] parts = user.Split(':');
        long? Parse(string s) => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;
        return (Parse(parts[0]), parts.Length > 1 ? Parse(parts[1]) : Parse(parts[0]));
    }
}
