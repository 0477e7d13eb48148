using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using Likeness.Training.Cast;
using Likeness.Training.Data;

namespace Likeness.Training.Video;

/// <summary>
/// A batch of training clips with the same number of characters each: the frames, one reference crop per character
/// (another clip, another pose), each character's region on the patch grid, its face box per frame and the caption.
/// </summary>
/// <param name="Frames">[batch, frames, 3, side, side] RGB in -1..1.</param>
/// <param name="References">[batch, characters, 3, S, S] face crops at the identity model's input size.</param>
/// <param name="Regions">[batch, characters, frames × rows × columns]: 1 on the patches of the character's face box.</param>
/// <param name="FaceBoxes">[batch, characters, frames] boxes, flattened in that order.</param>
/// <param name="FaceMasks">[batch, frames, side, side]: 1 on any character's face, 0 elsewhere.</param>
public sealed record ClipBatch(
    int Size, int Characters, int Frames, int Side,
    float[] Clips, float[] References, float[] Regions, NormalizedBox[] FaceBoxes, string[] Captions, int[] Identities, float[] FaceMasks);

/// <summary>Draws training clips of the cast's training identities; the same seed gives the same batches.</summary>
/// <param name="referencesFromTargetClip">
/// Cut each reference from the target clip's first frame instead of another clip: the ablation of training on
/// other-clip references, which teaches identity rather than copying a pose.
/// </param>
/// <param name="augmentReferences">Pass each other-clip reference through <see cref="ReferenceAugmentation"/>.</param>
public sealed class ClipSamples(
    ProceduralCast cast, IReadOnlyList<int> identities, int frames, int side, int patchSize, int referenceSize,
    bool referencesFromTargetClip = false, bool augmentReferences = false)
{
    /// <summary>Frames per clip; 1 makes single images.</summary>
    public int Frames => frames;

    /// <summary>Reference photos are rendered at one of these sides, sharper than the clips.</summary>
    private static readonly int[] ReferenceSides = [64, 96, 128, 192];

    public ClipBatch Next(Random random, int size, int characters)
    {
        var clips = new float[size * frames * 3 * side * side];
        var masks = new float[size * frames * side * side];
        var references = new List<float>();
        var regions = new List<float>();
        var boxes = new List<NormalizedBox>();
        var captions = new string[size];
        var ids = new int[size * characters];
        for (var b = 0; b < size; b++)
        {
            var who = PickDistinct(random, characters).Select(cast.Character).ToList();
            var scripts = Script(random.Next(), characters);
            if (characters == 2 && random.Next(2) == 0)
            {
                // Either character may come first, so no bank learns a side of the frame.
                scripts = [scripts[1], scripts[0]];
            }
            var faceBoxes = new NormalizedBox[characters, frames];
            byte[] firstFrame = [];
            for (var f = 0; f < frames; f++)
            {
                var scene = Render(who, scripts, f);
                firstFrame = f == 0 ? scene.Rgb : firstFrame;
                PixelPlanes.FromInterleaved(scene.Rgb, bytesPerPixel: 3).CopyTo(clips, ((b * frames) + f) * 3 * side * side);
                var maskOffset = ((b * frames) + f) * side * side;
                for (var c = 0; c < characters; c++)
                {
                    faceBoxes[c, f] = scene.FaceBoxes[c];
                    var mask = scene.FaceMasks[c];
                    for (var p = 0; p < mask.Length; p++)
                    {
                        masks[maskOffset + p] = Math.Max(masks[maskOffset + p], mask[p] / 255f);
                    }
                }
            }

            for (var c = 0; c < characters; c++)
            {
                ids[(b * characters) + c] = who[c].Id;
                references.AddRange(referencesFromTargetClip
                    ? FaceSamples.Crop(firstFrame, side, FaceSamples.Loosen(faceBoxes[c, 0], random), referenceSize)
                    : Reference(who[c], random));
                var track = Track(Enumerable.Range(0, frames).Select(f => faceBoxes[c, f]).ToList());
                regions.AddRange(RegionRasterizer.Rasterize(track, frames, side / patchSize, side / patchSize));
                boxes.AddRange(track.Keyframes.Select(k => k.Box));
            }

            var describe = random.Next(2) == 0;
            captions[b] = characters == 1
                ? ClipDirector.Caption(who[0], scripts[0], describe)
                : $"two characters, one {scripts[0].Action} and one {scripts[1].Action}";
        }

        return new ClipBatch(size, characters, frames, side, clips, [.. references], [.. regions], [.. boxes], captions, ids, masks);
    }

    /// <summary>Frame <paramref name="frame"/> of a clip of <paramref name="who"/> acting out <paramref name="scripts"/>.</summary>
    public RenderedScene Render(IReadOnlyList<CharacterTraits> who, IReadOnlyList<ClipScript> scripts, int frame) =>
        CastRenderer.RenderScene(who.Select((w, c) => new CastMember(w, scripts[c].Poses[frame])).ToList(), scripts[0].Background, side);

    /// <summary>A face box per frame as the region track a request gives for the character: one keyframe per frame.</summary>
    public static RegionTrack Track(IReadOnlyList<NormalizedBox> boxes)
    {
        var keyframes = boxes.Select((box, f) => (Time: boxes.Count == 1 ? 0f : f / (float)(boxes.Count - 1), Box: box)).ToList();
        return new RegionTrack(keyframes[0].Box, keyframes);
    }

    /// <summary>
    /// A face crop of the character from a fresh clip, rendered sharp as a user's reference photo would be, and, when
    /// the samples augment references, exposed, softened and compressed as such a photo may be (<see cref="ReferenceAugmentation"/>).
    /// </summary>
    public float[] Reference(CharacterTraits who, Random random)
    {
        var clip = ClipDirector.Direct(random.Next(), frames: 8);
        var renderSide = ReferenceSides[random.Next(ReferenceSides.Length)];
        var frame = CastRenderer.Render(who, clip.Background, clip.Poses[random.Next(clip.Poses.Count)], renderSide);
        var rgb = augmentReferences ? ReferenceAugmentation.Apply(frame.Rgb, renderSide, random) : frame.Rgb;
        return FaceSamples.Crop(rgb, renderSide, FaceSamples.Loosen(frame.FaceBox, random), referenceSize);
    }

    public IReadOnlyList<ClipScript> Script(int clipSeed, int characters) => characters switch
    {
        1 => [ClipDirector.Direct(clipSeed, frames)],
        2 => ClipDirector.DirectPair(clipSeed, frames) is var (left, right) ? [left, right] : [],
        _ => throw new ArgumentOutOfRangeException(nameof(characters), "Clips have one or two characters."),
    };

    private List<int> PickDistinct(Random random, int count)
    {
        var picked = new List<int>(count);
        while (picked.Count < count)
        {
            var id = identities[random.Next(identities.Count)];
            if (!picked.Contains(id))
            {
                picked.Add(id);
            }
        }

        return picked;
    }
}
