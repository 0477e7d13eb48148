using Likeness.Model.Generation;
using Likeness.Model.Identity;

namespace Likeness.Training.Video;

/// <summary>Settings of one joint training run; every run with the same settings, backbone and autoencoder gives the same weights.</summary>
public sealed record VideoTrainingSettings
{
    public int CastSeed { get; init; } = 7;

    /// <summary>Identity ids 0..CastSize-1; the held-out tenth is never trained on.</summary>
    public int CastSize { get; init; } = 2000;

    /// <summary>All optimiser steps: <see cref="ImageSteps"/> on single frames first, then clips.</summary>
    public int Steps { get; init; } = 3000;

    /// <summary>Steps of image pre-training (single frames, <see cref="ImageBatchSize"/> a step) before the clips.</summary>
    public int ImageSteps { get; init; }

    /// <summary>Clips per clip step.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Frames per image pre-training step.</summary>
    public int ImageBatchSize { get; init; } = 48;

    public double LearningRate { get; init; } = 5e-4;

    public long Seed { get; init; } = 1;

    /// <summary>Share of steps whose clips hold two characters; the rest hold one.</summary>
    public double PairShare { get; init; } = 0.25;

    /// <summary>Weight λ of the identity preservation loss next to the diffusion loss.</summary>
    public double IdentityLossWeight { get; init; } = 0.1;

    /// <summary>Most frames per step the identity preservation loss decodes and embeds (it costs a decoder pass each).</summary>
    public int IdentityLossFrames { get; init; } = 16;

    /// <summary>Extra weight of face cells in the diffusion loss: a cell on a face counts 1 + this. 0 weighs all alike.</summary>
    public float FaceLossWeight { get; init; } = 2f;

    /// <summary>Decay of the exponential moving average of the weights, which is what a checkpoint ships.</summary>
    public double EmaDecay { get; init; } = 0.999;

    /// <summary>Cut references from the target clip itself rather than another clip of the character (an ablation; off ships).</summary>
    public bool ReferencesFromTargetClip { get; init; }

    /// <summary>Expose, soften and JPEG-compress other-clip references as photos are (<see cref="ReferenceAugmentation"/>); on ships.</summary>
    public bool AugmentReferences { get; init; } = true;

    /// <summary>Share of clips trained without identity, and independently without text, for classifier-free guidance.</summary>
    public double ConditionDropout { get; init; } = 0.1;

    /// <summary>Steps between checkpoints written to the output folder.</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <summary>
    /// The video denoiser's architecture. With an autoencoder, its <see cref="VideoModelConfig.Channels"/>,
    /// <see cref="VideoModelConfig.LatentDownsample"/> and <see cref="VideoModelConfig.Autoencoder"/> are set from it.
    /// </summary>
    public VideoModelConfig Video { get; init; } = new()
    {
        Width = 128, Blocks = 4, Heads = 4, PatchSize = 8, MaxSide = 64, MaxFrames = 16,
        IdentityDim = 128, IdentityTokens = 16, MaxCharacters = 2,
    };

    /// <summary>Frames per training clip; at most <see cref="VideoModelConfig.MaxFrames"/>.</summary>
    public int ClipFrames { get; init; } = 8;

    /// <summary>
    /// Share of clip steps on clips of <see cref="VideoModelConfig.MaxFrames"/> frames, at the batch that keeps the frames
    /// per step the same, so every temporal position the model offers is trained.
    /// </summary>
    public double LongClipShare { get; init; } = 0.15;

    /// <summary>
    /// Share of clips trained as continuations (diffusion forcing, Chen et al. 2024; SkyReels-V2): their first 1..frames/2
    /// frames are given at <see cref="ContextNoiseLevel"/> and count nothing in the loss, the others are at the clip's
    /// level, so the model learns to continue frames it is given. Default 0 (every frame at one level, as the v2 family).
    /// </summary>
    public double ContextShare { get; init; }

    /// <summary>The level given frames are noised to in training, and in sampling a continuation (rectified flow's t). Default 0.02 (SkyReels-V2's 20 of 1000).</summary>
    public float ContextNoiseLevel { get; init; } = 0.02f;

    /// <summary>Token width and count must match <see cref="Video"/>; the backbone fields come from the trained backbone.</summary>
    public IdentityModelConfig Identity { get; init; } = new() { TokenDim = 128, IdentityTokens = 16, AttentionHeads = 4 };
}

/// <summary>Where a joint run left off: the live and averaged identity and video manifests and the step they were written at.</summary>
public sealed record TrainingCheckpoint(string IdentityManifest, string VideoManifest, string EmaIdentityManifest, string EmaVideoManifest, int Step);

/// <summary>The models of a run at a checkpoint: the live weights (to resume) and their moving average (to ship).</summary>
public sealed record VideoTrainingState(int Step, IdentityModel Identity, VideoDenoiser Video, IdentityModel EmaIdentity, VideoDenoiser EmaVideo);

/// <summary>One logged point of a joint run.</summary>
public sealed record VideoTrainingProgress(int Step, double DiffusionLoss, double IdentityLoss, TimeSpan Elapsed);
