using Likeness.Identity.Images;

namespace Likeness.Generation.Requests;

/// <summary>A validated request for one clip, with every default filled in.</summary>
public sealed record GenerationRequest
{
    public required string Prompt { get; init; }

    public required IReadOnlyList<CharacterRequest> Characters { get; init; }

    public required int Frames { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int Fps { get; init; }

    public required int Steps { get; init; }

    public required float GuidanceScale { get; init; }

    /// <summary>The seed asked for, or null for a random one.</summary>
    public required ulong? Seed { get; init; }

    public required PreviewSettings Preview { get; init; }

    public required FrameEncoding FrameEncoding { get; init; }

    /// <summary>Makes a retry attach to the same job; empty when not given.</summary>
    public required string ClientRequestId { get; init; }
}

/// <summary>One character: whose identity, how strongly, and where.</summary>
public sealed record CharacterRequest(string IdentityId, float Strength, RegionTrack Region);

/// <summary>Previews every <see cref="EveryNSteps"/> steps (0: none) at <see cref="MaxSide"/> px, per frame or as one contact sheet.</summary>
public sealed record PreviewSettings(int EveryNSteps, int MaxSide, bool ContactSheet);

public enum FrameEncoding
{
    Png,
    Rgb8,
}

/// <summary>A box over the clip: fixed, or keyframed and interpolated linearly over normalised time.</summary>
public sealed record RegionTrack(NormalizedBox Box, IReadOnlyList<(float Time, NormalizedBox Box)> Keyframes)
{
    public static RegionTrack WholeFrame { get; } = new(new NormalizedBox(0, 0, 1, 1), []);

    /// <param name="time">0 at the first frame, 1 at the last.</param>
    public NormalizedBox At(float time)
    {
        if (Keyframes.Count == 0)
        {
            return Box;
        }

        if (time <= Keyframes[0].Time)
        {
            return Keyframes[0].Box;
        }

        for (var i = 1; i < Keyframes.Count; i++)
        {
            if (time <= Keyframes[i].Time)
            {
                var (t0, a) = Keyframes[i - 1];
                var (t1, b) = Keyframes[i];
                var f = (time - t0) / Math.Max(1e-6f, t1 - t0);
                return new NormalizedBox(a.X + ((b.X - a.X) * f), a.Y + ((b.Y - a.Y) * f), a.Width + ((b.Width - a.Width) * f), a.Height + ((b.Height - a.Height) * f));
            }
        }

        return Keyframes[^1].Box;
    }
}
