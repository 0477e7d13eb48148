using System.Diagnostics;
using Likeness.Identity.Images;
using Likeness.Model.Latents;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using Likeness.Training.Cast;
using static TorchSharp.torch;

namespace Likeness.Training.Autoencoder;

/// <summary>Settings of one autoencoder run; the same settings give the same weights.</summary>
public sealed record AutoencoderTrainingSettings
{
    public int CastSeed { get; init; } = 7;

    /// <summary>Identity ids 0..CastSize-1; the held-out tenth is never trained on, and measures reconstruction.</summary>
    public int CastSize { get; init; } = 2000;

    public int Steps { get; init; } = 1500;

    /// <summary>Frames per step.</summary>
    public int BatchSize { get; init; } = 32;

    public double LearningRate { get; init; } = 2e-3;

    public long Seed { get; init; } = 1;

    /// <summary>Frame side in pixels.</summary>
    public int Side { get; init; } = 64;

    /// <summary>Extra weight of face pixels in the reconstruction loss: a face pixel counts 1 + this.</summary>
    public float FaceWeight { get; init; } = 3f;

    public AutoencoderConfig Autoencoder { get; init; } = new();
}

/// <summary>How well a trained autoencoder reconstructs frames of characters it never saw.</summary>
/// <param name="MeanSquaredError">Per pixel and channel, on -1..1 values.</param>
/// <param name="Psnr">Peak signal-to-noise ratio in dB for a peak-to-peak range of 2.</param>
/// <param name="FaceMeanSquaredError">The same, on face pixels only.</param>
public sealed record ReconstructionError(double MeanSquaredError, double Psnr, double FaceMeanSquaredError, int Frames);

/// <summary>
/// Trains the frame autoencoder on cast frames (one or two characters, every pose, light and backdrop the clips use) with
/// L1 + MSE reconstruction, face pixels weighted up; then measures the latents' shift and scale so the denoiser sees
/// unit-variance latents.
/// </summary>
public static class AutoencoderTraining
{
    /// <exception cref="InvalidOperationException">The loss stopped being finite.</exception>
    public static FrameAutoencoder Train(AutoencoderTrainingSettings settings, Action<LossProgress> report)
    {
        TorchRuntime.EnsureLoaded();
        var cast = new ProceduralCast(settings.CastSeed);
        var identities = cast.Training(settings.CastSize).Select(c => c.Id).ToList();
        var model = ModelWeights.Seeded(settings.Seed, () => new FrameAutoencoder(settings.Autoencoder));
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: settings.LearningRate, weight_decay: 1e-4);
        var random = new Random((int)settings.Seed);
        var started = Stopwatch.GetTimestamp();
        for (var step = 1; step <= settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (frames, faces) = Frames(cast, identities, random, settings.BatchSize, settings.Side);
            var loss = ReconstructionLoss(model.call(frames), frames, faces, settings.FaceWeight);
            OptimiserStep.Take(optimizer, loss, step, settings.Steps, settings.LearningRate, started, report);
        }

        model.eval();
        MeasureLatentStatistics(model, cast, identities, new Random(Seeds.Derive(settings.Seed, 17)), settings.Side);
        return model;
    }

    /// <summary>
    /// Fine-tunes the decoder alone on latents with Gaussian noise of a random σ in 0..<paramref name="maxLatentNoise"/> added,
    /// so latents a denoiser has not quite got right decode to clean frames rather than mottled ones. The encoder, and so
    /// the latent space a denoiser was trained in, stay exactly as they were.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loss stopped being finite.</exception>
    public static void FineTuneDecoder(FrameAutoencoder model, AutoencoderTrainingSettings settings, float maxLatentNoise, Action<LossProgress> report)
    {
        var cast = new ProceduralCast(settings.CastSeed);
        var identities = cast.Training(settings.CastSize).Select(c => c.Id).ToList();
        var parameters = model.DecoderParameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: settings.LearningRate, weight_decay: 1e-4);
        var random = new Random((int)settings.Seed + 1);
        using var noiseGenerator = new TorchSharp.torch.Generator((ulong)settings.Seed + 1);
        var started = Stopwatch.GetTimestamp();
        model.train();
        for (var step = 1; step <= settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (frames, faces) = Frames(cast, identities, random, settings.BatchSize, settings.Side);
            Tensor latents;
            using (no_grad())
            {
                latents = model.Encode(frames);
            }

            var sigma = rand([settings.BatchSize, 1, 1, 1], generator: noiseGenerator) * maxLatentNoise;
            var reconstruction = model.Decode(latents + (sigma * randn(latents.shape, generator: noiseGenerator)));
            OptimiserStep.Take(optimizer, ReconstructionLoss(reconstruction, frames, faces, settings.FaceWeight), step, settings.Steps,
                settings.LearningRate, started, report);
        }

        model.eval();
    }

    /// <summary>Reconstruction error on frames of held-out characters.</summary>
    /// <param name="latentNoise">Standard deviation of Gaussian noise added to the unit-scaled latents before decoding: how
    /// gracefully the decoder takes latents a denoiser has not quite got right.</param>
    public static ReconstructionError Measure(FrameAutoencoder model, int castSeed, int castSize, int frames, int side, float latentNoise = 0, long seed = 99)
    {
        var cast = new ProceduralCast(castSeed);
        var heldOut = cast.HeldOut(castSize).Select(c => c.Id).ToList();
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var (clean, faces) = Frames(cast, heldOut, new Random((int)seed), frames, side);
        var squared = (Reconstruct(model, clean, latentNoise, seed) - clean).pow(2);
        var mse = squared.mean().item<float>();
        var faceMse = ((squared * faces).sum() / (faces.sum() * 3).clamp_min(1)).item<float>();
        return new ReconstructionError(mse, 10 * Math.Log10(4 / mse), faceMse, frames);
    }

    /// <summary>Frames of held-out characters and their reconstructions, for a person to look at.</summary>
    /// <returns>[2 × count] interleaved RGB8 frames of side × side: each original followed by its reconstruction.</returns>
    public static List<byte[]> Pairs(FrameAutoencoder model, int castSeed, int castSize, int count, int side, float latentNoise = 0, long seed = 7)
    {
        var cast = new ProceduralCast(castSeed);
        var heldOut = cast.HeldOut(castSize).Select(c => c.Id).ToList();
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var (clean, _) = Frames(cast, heldOut, new Random((int)seed), count, side);
        var both = stack([clean, Reconstruct(model, clean, latentNoise, seed)], 1).view(2 * count, 3, side, side);
        var bytes = ((both + 1) * 127.5f).round().clamp(0, 255).to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().data<byte>().ToArray();
        return Enumerable.Range(0, 2 * count).Select(i => bytes.AsSpan(i * side * side * 3, side * side * 3).ToArray()).ToList();
    }

    /// <summary>L1 + MSE per pixel and channel, face pixels counting 1 + <paramref name="faceWeight"/>, normalised by the mean weight.</summary>
    private static Tensor ReconstructionLoss(Tensor reconstruction, Tensor frames, Tensor faces, float faceWeight)
    {
        var weight = 1 + (faceWeight * faces);
        var error = reconstruction - frames;
        return ((error.abs() + error.pow(2)) * weight).mean() / weight.mean();
    }

    /// <summary>decode(encode(x) + σ·ε), clamped to the pixel range.</summary>
    private static Tensor Reconstruct(FrameAutoencoder model, Tensor frames, float latentNoise, long seed)
    {
        var latents = model.Encode(frames);
        var noisy = latentNoise > 0 ? latents + (latentNoise * randn(latents.shape, generator: new TorchSharp.torch.Generator((ulong)seed))) : latents;
        return model.Decode(noisy).clamp(-1, 1);
    }

    private static void MeasureLatentStatistics(FrameAutoencoder model, ProceduralCast cast, IReadOnlyList<int> identities, Random random, int side)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var (frames, _) = Frames(cast, identities, random, 256, side);
        var raw = model.Encode(frames);   // statistics are still shift 0, scale 1 here
        var shift = raw.mean().item<float>();
        var scale = 1 / (raw - shift).std().item<float>();
        model.UseLatentStatistics(shift, scale);
    }

    /// <summary>Random frames of one or two characters.</summary>
    /// <returns>Frames [count, 3, side, side] in -1..1 and face masks [count, 1, side, side] in 0..1.</returns>
    private static (Tensor Frames, Tensor Faces) Frames(ProceduralCast cast, IReadOnlyList<int> identities, Random random, int count, int side)
    {
        var pixels = new float[count * 3 * side * side];
        var masks = new float[count * side * side];
        for (var i = 0; i < count; i++)
        {
            var characters = random.NextDouble() < 0.35 ? 2 : 1;
            var who = Enumerable.Range(0, characters).Select(_ => cast.Character(identities[random.Next(identities.Count)])).ToList();
            var frame = random.Next(8);
            var scene = characters == 1 ? Solo(who[0], random.Next(), frame, side) : Pair(who, random.Next(), frame, side);
            PixelPlanes.FromInterleaved(scene.Rgb, bytesPerPixel: 3).CopyTo(pixels, i * 3 * side * side);
            foreach (var mask in scene.FaceMasks)
            {
                for (var p = 0; p < mask.Length; p++)
                {
                    masks[(i * side * side) + p] = Math.Max(masks[(i * side * side) + p], mask[p] / 255f);
                }
            }
        }

        return (tensor(pixels, [count, 3, side, side]), tensor(masks, [count, 1, side, side]));
    }

    private static RenderedScene Solo(CharacterTraits who, int clipSeed, int frame, int side)
    {
        var script = ClipDirector.Direct(clipSeed, 8);
        return CastRenderer.RenderScene([new CastMember(who, script.Poses[frame])], script.Background, side);
    }

    private static RenderedScene Pair(List<CharacterTraits> who, int clipSeed, int frame, int side)
    {
        var (left, right) = ClipDirector.DirectPair(clipSeed, 8);
        return CastRenderer.RenderScene([new CastMember(who[0], left.Poses[frame]), new CastMember(who[1], right.Poses[frame])], left.Background, side);
    }
}
