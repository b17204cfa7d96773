using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ContainerSdk.Kubernetes;

/// <summary>
/// KServe's <c>serving.kserve.io/v1beta1</c> InferenceService, typed like KubernetesClient's own models (KubernetesClient
/// has no KServe types). Only the fields a custom-container predictor uses: the predictor is a Pod spec with KServe's
/// component fields (replicas) inline, as in KServe's PredictorSpec.
/// </summary>
public sealed class V1beta1InferenceService : IKubernetesObject<V1ObjectMeta>, IMetadata<V1ObjectMeta>, ISpec<V1beta1InferenceServiceSpec>
{
    public const string KubeGroup = "serving.kserve.io";
    public const string KubeApiVersion = "v1beta1";
    public const string KubeKind = "InferenceService";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public V1beta1InferenceServiceSpec Spec { get; set; } = new();
}

public sealed class V1beta1InferenceServiceSpec
{
    [JsonPropertyName("predictor")]
    public V1beta1PredictorSpec Predictor { get; set; } = new();
}

/// <summary>KServe's PredictorSpec for a custom container: the Pod spec fields plus minReplicas/maxReplicas.</summary>
public sealed record V1beta1PredictorSpec : V1PodSpec
{
    [JsonPropertyName("minReplicas")]
    public int? MinReplicas { get; set; }

    [JsonPropertyName("maxReplicas")]
    public int? MaxReplicas { get; set; }

    public static V1beta1PredictorSpec From(V1PodSpec pod, int? minReplicas) => new(pod) { MinReplicas = minReplicas };

    private V1beta1PredictorSpec(V1PodSpec pod)
        : base(pod)
    {
    }

    public V1beta1PredictorSpec()
    {
    }
}
