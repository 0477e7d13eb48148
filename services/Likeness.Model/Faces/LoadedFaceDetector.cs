using Likeness.Model.Faces.Internal;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Faces;

/// <summary>A BlazeFace detector ready to serve on the CPU: weights loaded and verified, eval mode, managed inputs and outputs.</summary>
/// <remarks>
/// Thread-safe: calls to the network are serialised by a lock (decoding runs outside it), so one instance may be shared;
/// LibTorch already spreads one call over the cores. Nothing native outlives a call.
/// </remarks>
public sealed class LoadedFaceDetector : IDisposable
{
    private static readonly Lock LoadGate = new();

    private readonly FaceDetector model;
    private readonly float[] anchors;
    private readonly Lock gate = new();
    private bool disposed;

    private LoadedFaceDetector(FaceDetector model, string modelId)
    {
        this.model = model;
        ModelId = modelId;
        anchors = BlazeFaceDecoding.AnchorCentres(model.Config);
        model.eval();
    }

    /// <summary>Identifier of the weights, from the manifest.</summary>
    public string ModelId { get; }

    public FaceDetectorConfig Config => model.Config;

    /// <summary>Loads the detector named by a manifest after checking its weights' sha256.</summary>
    public static LoadedFaceDetector Load(string manifestPath)
    {
        lock (LoadGate)
        {
            var (model, manifest) = ModelWeights.Load<FaceDetector, FaceDetectorConfig>(manifestPath, config => new FaceDetector(config));
            return new LoadedFaceDetector(model, manifest.ModelId);
        }
    }

    /// <summary>Finds the faces in an image.</summary>
    /// <param name="rgba">Interleaved RGBA8888, row-major, top row first, <paramref name="width"/>·<paramref name="height"/>·4 bytes; alpha is ignored.</param>
    /// <returns>
    /// Faces scoring at least <see cref="FaceDetectorConfig.ScoreThreshold"/> (0.5, MediaPipe's), boxes and landmarks in the
    /// image's pixels, largest box first. The image is read as it is stored: apply EXIF orientation first. BlazeFace is
    /// trained on upright faces; it still found a portrait turned by 90°, 180° and 270° in the tests (box where the face
    /// is), but landmark order and scores on turned faces are not relied on.
    /// </returns>
    public IReadOnlyList<DetectedFace> Detect(ReadOnlySpan<byte> rgba, int width, int height)
    {
        var letterbox = Letterbox.Of(width, height, Config.InputSize);
        float[] scores, regressors;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            (scores, regressors) = Run(Prepare(rgba, width, height, letterbox));
        }

        var decoded = BlazeFaceDecoding.Decode(scores, regressors, anchors, Config);
        return BlazeFaceDecoding.WeightedSuppression(decoded, Config.SuppressionIou)
            .Select(d => ToImage(d, letterbox))
            .OrderByDescending(f => f.Box.Area)
            .ToList();
    }

    /// <summary>The network's input for an image: letterboxed, scaled and normalised as <see cref="Detect"/> does.</summary>
    /// <returns>[1, 3, S, S] RGB in -1..1, row-major; for parity checks against the source model.</returns>
    public float[] PrepareInput(ReadOnlySpan<byte> rgba, int width, int height)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        return Prepare(rgba, width, height, Letterbox.Of(width, height, Config.InputSize)).data<float>().ToArray();
    }

    /// <summary>The network's raw outputs for a prepared input.</summary>
    /// <param name="input">[1, 3, S, S] RGB in -1..1, row-major.</param>
    /// <returns>Scores [A] (logits) and regressors [A, 16] (input pixels from each anchor), A = 896, row-major.</returns>
    public (float[] Scores, float[] Regressors) RunNetwork(ReadOnlySpan<float> input)
    {
        var size = Config.InputSize;
        if (input.Length != 3 * size * size)
        {
            throw new ArgumentException($"Expected 3·{size}·{size} floats, got {input.Length}.", nameof(input));
        }

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            return Run(tensor(input.ToArray(), [1, 3, size, size]));
        }
    }

    /// <summary>Frees the weights once no call holds the network.</summary>
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

    private (float[] Scores, float[] Regressors) Run(Tensor input)
    {
        var (scores, regressors) = model.call(input);
        return (scores.contiguous().data<float>().ToArray(), regressors.contiguous().data<float>().ToArray());
    }

    /// <summary>
    /// [1, 3, S, S]: the image scaled (bilinear, antialiased when shrinking) to fit S on its long side, centred, padded
    /// with black (-1) as MediaPipe's letterbox does, channels mapped from 0..255 to -1..1 (MediaPipe's
    /// <c>output_tensor_float_range</c> for BlazeFace).
    /// </summary>
    private static Tensor Prepare(ReadOnlySpan<byte> rgba, int width, int height, Letterbox letterbox)
    {
        if (rgba.Length != (long)width * height * 4)
        {
            throw new ArgumentException($"Expected {width}×{height}×4 RGBA bytes, got {rgba.Length}.", nameof(rgba));
        }

        var pixels = tensor(rgba.ToArray(), [height, width, 4]);                  // [H, W, 4] uint8
        var image = pixels[.., .., ..3].permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32);
        image = image.div(Constants.HalfRange).sub_(Scalars.One);                                   // [1, 3, H, W] in -1..1
        if (letterbox.ScaledWidth != width || letterbox.ScaledHeight != height)
        {
            image = nn.functional.interpolate(image, [letterbox.ScaledHeight, letterbox.ScaledWidth],
                mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        }

        return nn.functional.pad(image,
            [letterbox.Left, letterbox.Size - letterbox.ScaledWidth - letterbox.Left, letterbox.Top, letterbox.Size - letterbox.ScaledHeight - letterbox.Top],
            PaddingModes.Constant, -1);
    }

    private static DetectedFace ToImage(InputDetection detection, Letterbox letterbox)
    {
        var c = detection.Coordinates;
        PixelPoint Point(int i) => letterbox.ToImage(c[i], c[i + 1]);
        var topLeft = Point(0);
        var bottomRight = Point(2);
        var box = new PixelBox(topLeft.X, topLeft.Y, bottomRight.X - topLeft.X, bottomRight.Y - topLeft.Y);
        var landmarks = new FaceLandmarks(Point(4), Point(6), Point(8), Point(10), Point(12), Point(14));
        return new DetectedFace(box, landmarks, detection.Score);
    }

    /// <summary>
    /// Held for the life of the process, like <see cref="Scalars"/>; a nested class so it is created on first use, after
    /// the native library is loaded.
    /// </summary>
    private static class Constants
    {
        public static readonly Scalar HalfRange = 127.5.ToScalar();
    }
}
