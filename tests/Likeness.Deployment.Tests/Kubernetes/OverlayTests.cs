using k8s.Models;

namespace Likeness.Deployment.Tests.Kubernetes;

public sealed class OverlayTests
{
    public static readonly TheoryData<string> Overlays = new(["cpu", "gpu"]);

    private static readonly Dictionary<string, RenderedOverlay> Rendered = new(StringComparer.Ordinal);

    private static RenderedOverlay Overlay(string name)
    {
        lock (Rendered)
        {
            return Rendered.TryGetValue(name, out var overlay) ? overlay : Rendered[name] = RenderedOverlay.Render(name);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_RendersEveryPieceTheServicesNeed(string name)
    {
        var overlay = Overlay(name);

        overlay.Single<V1Deployment>("likeness-encoder");
        overlay.Single<V1Deployment>("likeness-generator");
        overlay.Single<V1StatefulSet>("likeness-redis");
        overlay.Single<V1ConfigMap>("likeness-config");
        overlay.Single<V1Secret>("likeness-redis");
        overlay.Single<V1Secret>("likeness-api-keys");
        overlay.Single<V2HorizontalPodAutoscaler>("likeness-encoder");
        overlay.Single<V1PodDisruptionBudget>("likeness-encoder");
        overlay.Single<V1PodDisruptionBudget>("likeness-generator");
        Assert.All(overlay.Objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace),
            o => Assert.Equal("likeness", o.Metadata.NamespaceProperty));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryContainer_HasLimitsAndRunsLockedDown(string name)
    {
        foreach (var (pod, spec) in Overlay(name).Pods)
        {
            Assert.True(spec.SecurityContext.RunAsNonRoot, $"{pod} may run as root");
            Assert.True(spec.SecurityContext.RunAsUser > 0, $"{pod} runs as uid 0");
            foreach (var container in spec.Containers)
            {
                Assert.True(container.Resources.Limits.ContainsKey("cpu") && container.Resources.Limits.ContainsKey("memory"), $"{pod} has no cpu/memory limits");
                Assert.True(container.Resources.Requests.ContainsKey("cpu") && container.Resources.Requests.ContainsKey("memory"), $"{pod} has no requests");
                Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
                Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
                Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            }
        }
    }

    [Theory]
    [InlineData("cpu", "likeness-encoder", "Dockerfile.encoder")]
    [InlineData("cpu", "likeness-generator", "Dockerfile.generator")]
    [InlineData("gpu", "likeness-encoder", "Dockerfile.encoder")]
    [InlineData("gpu", "likeness-generator", "Dockerfile.generator")]
    public void Probes_HitThePortTheServiceListensOn_AsItsDockerfileExposes(string name, string deployment, string dockerfile)
    {
        var overlay = Overlay(name);
        var container = overlay.Container(deployment);
        var (exposed, listening) = RenderedOverlay.DockerfilePorts(dockerfile);
        var port = Assert.Single(container.Ports);
        var urls = Assert.Single(container.Env, e => e.Name == "ASPNETCORE_URLS").Value;

        Assert.Equal(exposed, listening);
        Assert.Equal(exposed, port.ContainerPort);
        Assert.Equal($"http://+:{exposed}", urls);
        foreach (var probe in new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe })
        {
            Assert.Equal(exposed, probe.Grpc.Port);
        }

        Assert.Equal("liveness", container.LivenessProbe.Grpc.Service);
        Assert.Null(container.ReadinessProbe.Grpc.Service);
        var service = overlay.Single<V1Service>(deployment);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.Equal(port.Name, Assert.Single(service.Spec.Ports).TargetPort.Value);
    }

    [Theory]
    [InlineData("cpu", "likeness-encoder:latest", "likeness-generator:cpu")]
    [InlineData("gpu", "likeness-encoder:latest", "likeness-generator:gpu")]
    public void Images_AreTheOnesTheReadmeBuilds(string name, string encoder, string generator)
    {
        var overlay = Overlay(name);

        Assert.Equal(encoder, overlay.Container("likeness-encoder").Image);
        Assert.Equal(generator, overlay.Container("likeness-generator").Image);
    }

    [Fact]
    public void Gpu_GivesEachGeneratorOneGpuOnAGpuNode_AndCpu_NoneAtAll()
    {
        var gpu = Overlay("gpu");
        var cpu = Overlay("cpu");
        var gpuPod = gpu.Single<V1Deployment>("likeness-generator").Spec.Template.Spec;

        Assert.Equal("1", gpu.Container("likeness-generator").Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("true", gpuPod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(gpuPod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule");
        Assert.Equal("auto", Assert.Single(gpu.Container("likeness-generator").Env, e => e.Name == "VideoModel__Device").Value);
        Assert.All(cpu.Pods.SelectMany(p => p.Pod.Containers), c => Assert.DoesNotContain("nvidia.com/gpu", c.Resources.Limits.Keys));
        Assert.Equal("cpu", Assert.Single(cpu.Container("likeness-generator").Env, e => e.Name == "VideoModel__Device").Value);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GracePeriod_OutlastsThePreStopAndTheDrain(string name)
    {
        var overlay = Overlay(name);
        var config = overlay.Single<V1ConfigMap>("likeness-config").Data;
        var shutdown = TimeSpan.Parse(config["ShutdownTimeout"], System.Globalization.CultureInfo.InvariantCulture);
        var drain = TimeSpan.Parse(config["Generator__DrainTimeout"], System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(drain < shutdown, "the running job must end before Kestrel stops");
        foreach (var deployment in new[] { "likeness-encoder", "likeness-generator" })
        {
            var pod = overlay.Single<V1Deployment>(deployment).Spec.Template.Spec;
            var preStop = TimeSpan.FromSeconds(overlay.Container(deployment).Lifecycle.PreStop.Sleep.Seconds);
            Assert.True(TimeSpan.FromSeconds(pod.TerminationGracePeriodSeconds!.Value) > preStop + shutdown, $"{deployment} is killed before it drains");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void OnlyTheTwoServices_ReachRedis(string name)
    {
        var overlay = Overlay(name);
        var policy = overlay.Single<V1NetworkPolicy>("likeness-redis");
        var rule = Assert.Single(policy.Spec.Ingress);
        var selector = Assert.Single(Assert.Single(rule.FromProperty).PodSelector.MatchExpressions);

        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        Assert.Equal(["likeness-encoder", "likeness-generator"], selector.Values.Order());
        Assert.Equal(6379, Assert.Single(rule.Ports).Port.Value is var p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 0);
        var redisPassword = overlay.Single<V1StatefulSet>("likeness-redis").Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "REDIS_PASSWORD");
        Assert.Equal("likeness-redis", redisPassword.ValueFrom.SecretKeyRef.Name);
        Assert.Contains("password=$(REDIS_PASSWORD)", overlay.Container("likeness-generator").Env.Single(e => e.Name == "Redis__Configuration").Value, StringComparison.Ordinal);
    }

    /// <summary>The gpu overlay scales generators on the shared queue: the stream and group the generators use, Redis's password, and a way in.</summary>
    [Fact]
    public void Gpu_ScalesGeneratorsOnTheSharedQueue_WithKeda_AndCpu_HasAFixedCount()
    {
        var gpu = Overlay("gpu");
        var scaled = gpu.Single<KedaScaledObject>("likeness-generator");
        var trigger = Assert.Single(scaled.Spec.Triggers);
        var options = new Likeness.Generation.ClusterOptions();

        Assert.Equal("likeness-generator", scaled.Spec.ScaleTargetRef["name"]);
        Assert.Equal("redis-streams", trigger.Type);
        Assert.Equal(options.KeyPrefix + "queue", trigger.Metadata["stream"]);
        Assert.Equal(options.ConsumerGroup, trigger.Metadata["consumerGroup"]);
        Assert.Equal("likeness-redis:6379", trigger.Metadata["address"]);
        Assert.True(scaled.Spec.MinReplicaCount >= 1 && scaled.Spec.MaxReplicaCount > scaled.Spec.MinReplicaCount);
        var auth = gpu.Single<KedaTriggerAuthentication>(trigger.AuthenticationRef["name"]);
        var secret = Assert.Single(auth.Spec["secretTargetRef"]);
        Assert.Equal(("password", "likeness-redis", "password"), (secret["parameter"], secret["name"], secret["key"]));
        var fromKeda = gpu.Single<V1NetworkPolicy>("likeness-redis-from-keda");
        Assert.Equal("keda", Assert.Single(Assert.Single(fromKeda.Spec.Ingress).FromProperty).NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Empty(Overlay("cpu").All<KedaScaledObject>());
        Assert.Equal("metadata.name", gpu.Container("likeness-generator").Env.Single(e => e.Name == "Cluster__PodName").ValueFrom.FieldRef.FieldPath);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void BothServices_DemandApiKeys_FromTheMountedSecret(string name)
    {
        var overlay = Overlay(name);
        var config = overlay.Single<V1ConfigMap>("likeness-config").Data;
        var keys = overlay.Single<V1Secret>("likeness-api-keys");

        Assert.Equal("ApiKeys", config["Auth__Mode"]);
        Assert.Contains("api-keys", keys.StringData.Keys);
        foreach (var deployment in new[] { "likeness-encoder", "likeness-generator" })
        {
            var pod = overlay.Single<V1Deployment>(deployment).Spec.Template.Spec;
            var volume = Assert.Single(pod.Volumes, v => v.Secret?.SecretName == "likeness-api-keys");
            var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == volume.Name);
            Assert.True(mount.ReadOnlyProperty);
            Assert.Equal(config["Auth__ApiKeysFile"], $"{mount.MountPath}/api-keys");
            Assert.Contains(pod.Containers[0].EnvFrom, e => e.ConfigMapRef?.Name == "likeness-config");
        }
    }
}
