using Likeness.Identity.Regions;

namespace Likeness.Generation.Requests;

/// <summary>
/// A request for one clip exactly as received, before any check: an absent value is null (never 0 or NaN), and a
/// number or enum value is carried as sent, so <see cref="GenerationRequestValidator"/> sees NaN, infinities and enum
/// values no version of the contract defines, and refuses them naming the field.
/// </summary>
public sealed record ReceivedGenerationRequest
{
    public string Prompt { get; init; } = "";

    public IReadOnlyList<Character> Characters { get; init; } = [];

    public uint? Frames { get; init; }

    public uint? Width { get; init; }

    public uint? Height { get; init; }

    public uint? Fps { get; init; }

    public uint? Steps { get; init; }

    public float? GuidanceScale { get; init; }

    public ulong? Seed { get; init; }

    /// <summary>The scheduler asked for as its wire number; null when unspecified.</summary>
    public DenoisingScheduler? Scheduler { get; init; }

    public Previews Preview { get; init; } = new(null, null, null);

    /// <summary>The frame encoding asked for as its wire number; null when unspecified.</summary>
    public FrameEncoding? FrameEncoding { get; init; }

    /// <summary>Null or empty when not given.</summary>
    public string? ClientRequestId { get; init; }

    /// <summary>The clip's length in seconds; null when not given.</summary>
    public float? Seconds { get; init; }

    /// <summary>The shots; empty for a clip of one shot.</summary>
    public IReadOnlyList<Shot> Shots { get; init; } = [];

    /// <summary>The clip to continue; null when none.</summary>
    public Extension? Extend { get; init; }

    /// <summary>One shot as received: its prompt (empty = the request's), length, characters and how it begins.</summary>
    public sealed record Shot(string Prompt, float Seconds, IReadOnlyList<Character> Characters, bool ContinuePrevious);

    /// <summary>A clip to continue as received: its frames (encoded images, or RGB8 with their size), or a job's id (null or empty when not given).</summary>
    public sealed record Extension(IReadOnlyList<ReceivedFrame> Frames, string? JobId);

    /// <summary>
    /// One frame as received: encoded bytes whose format is sniffed, or raw RGB8 when <paramref name="Width"/> and
    /// <paramref name="Height"/> are given with <paramref name="Rgb8"/> true.
    /// </summary>
    public sealed record ReceivedFrame(byte[] Data, bool Rgb8, int Width, int Height);

    /// <summary>One character as received; <paramref name="Region"/> null (or one with neither box nor keyframes) means <see cref="DefaultFraming"/>.</summary>
    public sealed record Character(string IdentityId, float? Strength, Region? Region);

    /// <summary>A region as received; <paramref name="Box"/> null with keyframes: the keyframes alone; null without: no region (the default framing).</summary>
    public sealed record Region(NormalizedBox? Box, IReadOnlyList<Keyframe> Keyframes);

    /// <summary>A keyframe as received; <paramref name="Box"/> null means the whole frame.</summary>
    public sealed record Keyframe(float Time, NormalizedBox? Box);

    /// <summary>Preview options as received; each null when not given.</summary>
    public sealed record Previews(uint? EveryNSteps, uint? MaxSide, PreviewLayout? Layout);
}
