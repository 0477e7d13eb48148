using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using Likeness.Training.Cast;

namespace Likeness.Training.Data;

/// <summary>
/// Face crops of cast members in random clip poses, cut the way the services cut them: a square 1.25× the face box,
/// resampled to the backbone's input, RGB in -1..1, channel-major. Frames are rendered at a size drawn from
/// <see cref="RenderSizes"/>, so f knows a face both from a sharp reference and from a small generated frame.
/// </summary>
public sealed class FaceSamples(ProceduralCast cast, int inputSize)
{
    /// <summary>Frame sides a sample is rendered at: generated clips (32, 64 pixels) up to reference photos.</summary>
    public static readonly int[] RenderSizes = [32, 48, 64, 128];

    /// <summary>One crop of character <paramref name="id"/> in a pose drawn from <paramref name="random"/>.</summary>
    public float[] Sample(int id, Random random)
    {
        var clip = ClipDirector.Direct(random.Next(), frames: 8);
        var renderSize = RenderSizes[random.Next(RenderSizes.Length)];
        var frame = CastRenderer.Render(cast.Character(id), clip.Background, clip.Poses[random.Next(clip.Poses.Count)], renderSize);
        return Crop(frame.Rgb, renderSize, Loosen(frame.FaceBox, random), inputSize);
    }

    /// <summary>
    /// The face box grown by a random 0–50% about its centre: the encoder crops around the whole subject it finds
    /// (hair and hat included), so f and the identity bank must know a face framed loosely as well as tightly.
    /// </summary>
    public static NormalizedBox Loosen(NormalizedBox box, Random random)
    {
        var factor = 1 + (0.5f * random.NextSingle());
        float width = box.Width * factor, height = box.Height * factor;
        return new NormalizedBox(box.X + ((box.Width - width) / 2), box.Y + ((box.Height - height) / 2), width, height);
    }

    /// <summary>Interleaved RGB8 → [3, size, size] in -1..1, then the services' face crop.</summary>
    public static float[] Crop(byte[] rgb, int frameSize, NormalizedBox box, int size) =>
        FaceCrop.Extract(PixelPlanes.FromInterleaved(rgb, bytesPerPixel: 3), frameSize, frameSize, box, size);
}
