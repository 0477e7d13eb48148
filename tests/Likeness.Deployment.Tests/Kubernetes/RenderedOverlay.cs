using System.Diagnostics;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Likeness.Testing;

namespace Likeness.Deployment.Tests.Kubernetes;

/// <summary>An overlay rendered by <c>kubectl kustomize</c> and parsed strictly (unknown fields fail) into typed objects.</summary>
public sealed partial class RenderedOverlay
{
    private RenderedOverlay(string name, IReadOnlyList<object> objects)
    {
        Name = name;
        Objects = objects;
    }

    public string Name { get; }

    public IReadOnlyList<object> Objects { get; }

    public static RenderedOverlay Render(string overlay)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", Repository.PathOf($"k8s/overlays/{overlay}")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kubectl = Process.Start(start)!;
        var yaml = kubectl.StandardOutput.ReadToEnd();
        var errors = kubectl.StandardError.ReadToEnd();
        kubectl.WaitForExit();
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {overlay} failed: {errors}");
        var keda = new Dictionary<string, Type> { [KedaScaledObject.TypeKey] = typeof(KedaScaledObject), [KedaTriggerAuthentication.TypeKey] = typeof(KedaTriggerAuthentication) };
        return new RenderedOverlay(overlay, KubernetesYaml.LoadAllFromString(yaml, keda, strict: true));
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(Objects.OfType<T>(), o => o.Metadata.Name == name);

    public V1Container Container(string deployment) => Assert.Single(Single<V1Deployment>(deployment).Spec.Template.Spec.Containers);

    /// <summary>Every pod template: Deployments and StatefulSets.</summary>
    public IEnumerable<(string Name, V1PodSpec Pod)> Pods =>
        All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec)));

    /// <summary>The port a Dockerfile exposes and the one its ASPNETCORE_URLS listens on.</summary>
    public static (int Exposed, int Listening) DockerfilePorts(string dockerfile)
    {
        var text = File.ReadAllText(Repository.PathOf(dockerfile));
        return (int.Parse(Expose().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Urls().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^EXPOSE (\d+)", RegexOptions.Multiline)]
    private static partial Regex Expose();

    [GeneratedRegex(@"ASPNETCORE_URLS=http://\+:(\d+)")]
    private static partial Regex Urls();
}
