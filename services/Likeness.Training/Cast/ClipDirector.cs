using SkiaSharp;

namespace Likeness.Training.Cast;

/// <summary>Writes clips in which everything changes smoothly except the character: path, scale, expression, head turn, light.</summary>
public static class ClipDirector
{
    /// <summary>Where one character may move in a clip: a horizontal band for its centre and a range of face heights.</summary>
    private sealed record Lane(float MinX, float MaxX, float MinScale, float MaxScale);

    private static readonly Lane Solo = new(0.3f, 0.7f, 0.45f, 0.75f);
    private static readonly Lane Left = new(0.22f, 0.3f, 0.3f, 0.4f);
    private static readonly Lane Right = new(0.7f, 0.78f, 0.3f, 0.4f);

    /// <summary>A clip of one character.</summary>
    public static ClipScript Direct(int clipSeed, int frames)
    {
        var random = new Random(clipSeed);
        return Direct(random, Backdrop(random), frames, Solo);
    }

    /// <summary>A clip of two characters on one backdrop, one in each half of the frame, never overlapping.</summary>
    public static (ClipScript Left, ClipScript Right) DirectPair(int clipSeed, int frames)
    {
        var random = new Random(clipSeed);
        var background = Backdrop(random);
        var left = Direct(random, background, frames, Left);
        var right = Direct(random, background, frames, Right);
        return (left, right with { Poses = right.Poses.Zip(left.Poses, (r, l) => r with { Light = l.Light, LightSide = l.LightSide }).ToList() });
    }

    private static ClipBackground Backdrop(Random random) =>
        new(ProceduralCast.Background(random), ProceduralCast.Background(random), random.Next(0, 4) * 2);

    private static ClipScript Direct(Random random, ClipBackground background, int frames, Lane lane)
    {
        float x0 = Uniform(random, lane.MinX, lane.MaxX), x1 = Uniform(random, lane.MinX, lane.MaxX);
        float y0 = Uniform(random, 0.4f, 0.6f), y1 = Uniform(random, 0.4f, 0.6f);
        float s0 = Uniform(random, lane.MinScale, lane.MaxScale), s1 = Uniform(random, lane.MinScale, lane.MaxScale);
        float yaw0 = Uniform(random, -0.8f, 0.8f), yaw1 = Uniform(random, -0.8f, 0.8f);
        float light0 = Uniform(random, 0.7f, 1.2f), light1 = Uniform(random, 0.7f, 1.2f), side = Uniform(random, -1, 1);
        var blinkAt = random.Next(-frames, frames);     // negative: no blink in this clip
        var smiles = random.Next(2) == 0;
        var talks = random.Next(3) == 0;
        var poses = new List<FramePose>(frames);
        for (var f = 0; f < frames; f++)
        {
            var t = frames == 1 ? 0 : f / (float)(frames - 1);
            var ease = t * t * (3 - (2 * t));
            poses.Add(new FramePose(
                Lerp(x0, x1, ease), Lerp(y0, y1, ease), Lerp(s0, s1, ease), Lerp(yaw0, yaw1, ease),
                Blink: f == blinkAt ? 1 : 0,
                Smile: smiles ? ease : 0,
                MouthOpen: talks ? 0.5f + (0.5f * MathF.Sin(f * 1.7f)) : 0,
                Light: Lerp(light0, light1, ease),
                LightSide: side));
        }

        var action = (smiles, talks, MathF.Abs(x1 - x0) > 0.15f) switch
        {
            (_, true, _) => "talks",
            (true, _, _) => "smiles",
            (_, _, true) when lane == Solo => x1 > x0 ? "moves to the right" : "moves to the left",
            _ => "looks around",
        };
        return new ClipScript(background, poses, action);
    }

    /// <summary>The caption a clip is trained with: the action, and optionally who the character is.</summary>
    public static string Caption(CharacterTraits who, ClipScript clip, bool describeCharacter) =>
        describeCharacter ? $"{who.Describe()} {clip.Action}" : $"a character {clip.Action}";

    private static float Uniform(Random random, float low, float high) => low + ((high - low) * random.NextSingle());

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);

    internal static SKColor Shade(SKColor color, float factor) => new(
        (byte)Math.Clamp(color.Red * factor, 0, 255), (byte)Math.Clamp(color.Green * factor, 0, 255), (byte)Math.Clamp(color.Blue * factor, 0, 255));
}
