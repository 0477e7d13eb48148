using Likeness.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Faces;

/// <summary>
/// The face recogniser ready to serve: weights loaded and verified, eval mode, on its device; chips in and descriptors
/// out as managed arrays. Thread-safe: concurrent calls are serialised, each using every core LibTorch is given.
/// </summary>
public sealed class LoadedFaceRecogniser : IDisposable
{
    private readonly FaceRecogniser model;
    private readonly Lock gate = new();
    private bool disposed;

    private LoadedFaceRecogniser(FaceRecogniser model, ModelManifest manifest, Device device)
    {
        this.model = model;
        ModelId = manifest.ModelId;
        Config = manifest.ReadConfig<FaceRecogniserConfig>();
        Device = device;
        model.to(device).eval();
    }

    /// <summary>Identifier of the weights, e.g. <c>dlib-resnet-v1-face-api-1.7.15</c>.</summary>
    public string ModelId { get; }

    public FaceRecogniserConfig Config { get; }

    public Device Device { get; }

    /// <summary>Floats in one chip: 3 × 150 × 150.</summary>
    public const int ChipLength = 3 * FaceRecogniser.ChipSize * FaceRecogniser.ChipSize;

    /// <summary>Loads the recogniser named by a manifest (<c>models/face-recogniser.manifest.json</c>) onto the CPU.</summary>
    /// <exception cref="FileNotFoundException">The manifest or its weights are missing.</exception>
    /// <exception cref="InvalidDataException">The weights fail their checksum or do not fit the network.</exception>
    public static LoadedFaceRecogniser Load(string manifestPath) => Load(manifestPath, CPU);

    /// <summary>As <see cref="Load(string)"/>, onto <paramref name="device"/>.</summary>
    public static LoadedFaceRecogniser Load(string manifestPath, Device device)
    {
        var (model, manifest) = ModelWeights.LoadDecoded<FaceRecogniser, FaceRecogniserConfig>(
            manifestPath, m => m.ReadConfig<FaceRecogniserConfig>(), config => new FaceRecogniser(config), FaceRecogniserWeights.Dequantise);
        return new LoadedFaceRecogniser(model, manifest, device);
    }

    /// <summary>Descriptors of face chips, such as FaceAlignment.Chip cuts.</summary>
    /// <param name="chips"><paramref name="count"/> chips, each [3, 150, 150] RGB in 0..255 (channel-major), concatenated.</param>
    /// <param name="count">Number of chips, at least 1.</param>
    /// <returns>[count, 128] descriptors, row-major; compare them by Euclidean distance.</returns>
    /// <exception cref="ArgumentException">The span does not hold exactly <paramref name="count"/> chips, or holds a non-finite value.</exception>
    public float[] Describe(ReadOnlySpan<float> chips, int count)
    {
        if (count <= 0 || chips.Length != (long)count * ChipLength)
        {
            throw new ArgumentException($"Expected {count} chips of {ChipLength} floats, got {chips.Length} floats.", nameof(chips));
        }

        foreach (var value in chips)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException("Chips must hold finite pixel values.", nameof(chips));
            }
        }

        var input = chips.ToArray();
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            var batch = tensor(input, [count, 3, FaceRecogniser.ChipSize, FaceRecogniser.ChipSize]).to(Device);
            return model.call(batch).cpu().data<float>().ToArray();                       // [count, 128]
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                model.Dispose();
            }
        }
    }
}
