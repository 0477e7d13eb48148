using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Likeness.Deployment.Tests.Kubernetes;

/// <summary>A KEDA object (keda.sh/v1alpha1) with a typed spec, so that strict parsing catches a misspelt field.</summary>
public abstract class KedaObject<TSpec> : IKubernetesObject<V1ObjectMeta>
    where TSpec : new()
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();
}

/// <summary>KEDA's ScaledObject, the fields the gpu overlay uses.</summary>
public sealed class KedaScaledObject : KedaObject<KedaScaledObject.ScaledObjectSpec>
{
    public const string TypeKey = "keda.sh/v1alpha1/ScaledObject";

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

/// <summary>KEDA's TriggerAuthentication with secret references (spec: secretTargetRef → parameter, name, key).</summary>
public sealed class KedaTriggerAuthentication : KedaObject<Dictionary<string, List<Dictionary<string, string>>>>
{
    public const string TypeKey = "keda.sh/v1alpha1/TriggerAuthentication";
}
