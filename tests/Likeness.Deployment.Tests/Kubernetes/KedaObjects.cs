using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Likeness.Deployment.Tests.Kubernetes;

/// <summary>KEDA's ScaledObject (keda.sh/v1alpha1), the fields the gpu overlay uses, so that strict parsing catches a misspelt one.</summary>
public sealed class KedaScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public const string TypeKey = "keda.sh/v1alpha1/ScaledObject";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ScaledObjectSpec Spec { get; set; } = new();

    public sealed class ScaledObjectSpec
    {
        [JsonPropertyName("scaleTargetRef")]
        public Dictionary<string, string> ScaleTargetRef { get; set; } = [];

        [JsonPropertyName("minReplicaCount")]
        public int MinReplicaCount { get; set; }

        [JsonPropertyName("maxReplicaCount")]
        public int MaxReplicaCount { get; set; }

        [JsonPropertyName("pollingInterval")]
        public int PollingInterval { get; set; }

        [JsonPropertyName("cooldownPeriod")]
        public int CooldownPeriod { get; set; }

        [JsonPropertyName("triggers")]
        public List<Trigger> Triggers { get; set; } = [];
    }

    public sealed class Trigger
    {
        [JsonPropertyName("type")]
        public string Type { get; set; } = "";

        [JsonPropertyName("metadata")]
        public Dictionary<string, string> Metadata { get; set; } = [];

        [JsonPropertyName("authenticationRef")]
        public Dictionary<string, string> AuthenticationRef { get; set; } = [];
    }
}

/// <summary>KEDA's TriggerAuthentication (keda.sh/v1alpha1) with secret references.</summary>
public sealed class KedaTriggerAuthentication : IKubernetesObject<V1ObjectMeta>
{
    public const string TypeKey = "keda.sh/v1alpha1/TriggerAuthentication";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public Dictionary<string, List<Dictionary<string, string>>> Spec { get; set; } = [];
}
