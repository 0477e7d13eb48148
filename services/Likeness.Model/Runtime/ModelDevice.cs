using static TorchSharp.torch;

namespace Likeness.Model.Runtime;

/// <summary>Chooses the device models run on.</summary>
public static class ModelDevice
{
    /// <summary>"auto" (CUDA when TorchSharp sees a GPU, else CPU), "cpu" or "cuda[:n]".</summary>
    public static Device Resolve(string setting)
    {
        TorchRuntime.EnsureLoaded();
        return setting.Trim().ToLowerInvariant() switch
        {
            "" or "auto" => cuda.is_available() ? CUDA : CPU,
            "cpu" => CPU,
            var s when s.StartsWith("cuda", StringComparison.Ordinal) && !cuda.is_available() =>
                throw new InvalidOperationException($"Device '{setting}' was asked for, but TorchSharp sees no CUDA device."),
            var s => new Device(s),
        };
    }
}
