using Likeness.Model.Generation;

namespace Likeness.Generation;

/// <summary>Limits, defaults and the queue of the generator. Bound from the <c>Generator</c> section.</summary>
public sealed class GeneratorOptions
{
    /// <summary>Jobs that may wait for the device; past it, RESOURCE_EXHAUSTED. Default 8.</summary>
    public int MaxQueuedJobs { get; set; } = 8;

    /// <summary>
    /// On shutdown, how long the running job may go on before it is cancelled; keep it a few seconds below the host's
    /// <c>ShutdownTimeout</c> so its streams end with a final event. Default 25 seconds.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// How long a job sent with a <c>client_request_id</c> outlives its last Generate stream when the client disconnects:
    /// re-sending the request with the same id within it attaches to the job again; past it, with no stream back, the job
    /// is cancelled. A passed deadline, or a job without a client request id, cancels at once. Default 30 seconds.
    /// </summary>
    public TimeSpan ReattachGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a finished job stays watchable. Default 10 minutes.</summary>
    public TimeSpan FinishedJobRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many finished jobs stay watchable at most, whatever their age; past it the oldest are forgotten first, so a
    /// fast device cannot hold ten minutes of jobs (each keeps its events) in memory. Default 1000.
    /// </summary>
    public int MaxFinishedJobs { get; set; } = 1000;

    /// <summary>
    /// Bytes of frames and previews that finished jobs may keep in this process (the embedded board; with Redis they
    /// expire with <see cref="FinishedJobRetention"/>): past it the oldest are forgotten first, so long clips cannot fill
    /// memory. Default 512 MiB, about 100,000 frames of 64×64 PNG.
    /// </summary>
    public long MaxFinishedJobBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Characters per clip; at most the model's identity banks. Default 2.</summary>
    public int MaxCharacters { get; set; } = 2;

    /// <summary>Denoising steps per job. Default 100.</summary>
    public int MaxSteps { get; set; } = 100;

    /// <summary>Largest guidance scale. Default 20.</summary>
    public float MaxGuidanceScale { get; set; } = 20f;

    /// <summary>Longest prompt in characters. Default 1000.</summary>
    public int MaxPromptChars { get; set; } = 1000;

    /// <summary>Keyframes per region. Default 16.</summary>
    public int MaxRegionKeyframes { get; set; } = 16;

    /// <summary>Longest side of a preview image. Default 256.</summary>
    public int MaxPreviewSide { get; set; } = 256;

    /// <summary>Highest fps. Default 60.</summary>
    public int MaxFps { get; set; } = 60;

    /// <summary>Longest client request id. Default 128.</summary>
    public int MaxClientRequestIdChars { get; set; } = 128;

    /// <summary>
    /// Frame sizes offered (square, pixels); each a multiple of the patch size and at most the model's max side.
    /// Default 64 (applied after binding, so a configured list replaces it rather than extending it).
    /// </summary>
    public IReadOnlyList<int> Sizes { get; set; } = [];

    /// <summary>Frame counts offered; each at most the model's max frames. Default 4, 8, 16 (applied after binding).</summary>
    public IReadOnlyList<int> FrameCounts { get; set; } = [];

    /// <summary>Longest clip in seconds at the request's fps (<c>seconds</c>, or the shots' total). Default 120.</summary>
    public float MaxSeconds { get; set; } = 120f;

    /// <summary>Shots per request. Default 64.</summary>
    public int MaxShots { get; set; } = 64;

    /// <summary>Frames of a clip to continue that one request may carry. Default 64.</summary>
    public int MaxExtensionFrames { get; set; } = 64;

    /// <summary>
    /// Frames one chunk of a long clip is made in (context included): one denoising run. At most the model's frames.
    /// Default 16.
    /// </summary>
    public int ChunkFrames { get; set; } = 16;

    /// <summary>
    /// Frames of the previous chunk a chunk that continues it is given (fewer than <see cref="ChunkFrames"/>); the rest of
    /// its frames are new. Default 4.
    /// </summary>
    public int ContextFrames { get; set; } = 4;

    public int DefaultFrames { get; set; } = 8;

    public int DefaultSize { get; set; } = 64;

    public int DefaultFps { get; set; } = 8;

    public int DefaultSteps { get; set; } = 20;

    public float DefaultGuidanceScale { get; set; } = 3f;

    public float DefaultIdentityStrength { get; set; } = 0.8f;

    /// <summary>Fills the lists configuration left empty with their defaults.</summary>
    public void ApplyListDefaults()
    {
        Sizes = Sizes.Count > 0 ? Sizes : [64];
        FrameCounts = FrameCounts.Count > 0 ? FrameCounts : [4, 8, 16];
    }

    /// <summary>What these options offer that <paramref name="model"/> cannot make; empty when it serves them all.</summary>
    public IEnumerable<string> BeyondModel(VideoModelConfig model)
    {
        foreach (var size in Sizes.Where(s => s > model.MaxSide || s % model.PatchSize != 0))
        {
            yield return $"Generator:Sizes offers {size}, but the model makes multiples of {model.PatchSize} up to {model.MaxSide} pixels";
        }

        foreach (var frames in FrameCounts.Where(f => f > model.MaxFrames))
        {
            yield return $"Generator:FrameCounts offers {frames}, but the model makes at most {model.MaxFrames} frames";
        }

        if (ChunkFrames > model.MaxFrames || ChunkFrames < 2)
        {
            yield return $"Generator:ChunkFrames is {ChunkFrames}, but the model makes 2..{model.MaxFrames} frames at once";
        }

        if (ContextFrames < 1 || ContextFrames >= ChunkFrames)
        {
            yield return $"Generator:ContextFrames is {ContextFrames}; it must be 1..{ChunkFrames - 1} (fewer than Generator:ChunkFrames)";
        }

        if (MaxCharacters > model.MaxCharacters)
        {
            yield return $"Generator:MaxCharacters is {MaxCharacters}, but the model has {model.MaxCharacters} identity banks";
        }
    }
}
