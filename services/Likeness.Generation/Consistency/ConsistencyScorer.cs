using Likeness.Generation.Identities;
using Likeness.Generation.Rendering;
using Likeness.Model.Identity;
using Likeness.Identity.Images;

namespace Likeness.Generation.Consistency;

/// <summary>
/// Scores a finished clip with the identity model's backbone f: each character's region in each frame is cropped,
/// embedded and compared with f(ref) stored with its tokens — the seed's identity preservation loss, reported.
/// </summary>
public static class ConsistencyScorer
{
    /// <summary>Margin around a region, as a multiple of its longer side (matches the encoder's face crop).</summary>
    private const float Margin = 1.25f;

    public static ConsistencyReport Score(ClipFrames clip, IReadOnlyList<LoadedCharacter> characters, LoadedIdentityModel identityModel, bool untrained)
    {
        var size = identityModel.Config.InputSize;
        var cropLength = 3 * size * size;
        var embeddings = characters.Select(character =>
        {
            var crops = new float[clip.Frames * cropLength];
            for (var f = 0; f < clip.Frames; f++)
            {
                Crop(clip, f, character.Request.Region.At(clip.Frames == 1 ? 0 : f / (float)(clip.Frames - 1)), size, crops.AsSpan(f * cropLength, cropLength));
            }

            return Split(identityModel.Embed(crops, clip.Frames), clip.Frames);
        }).ToList();

        var report = characters.Select((character, c) =>
        {
            var frames = embeddings[c];
            var similarity = frames.Select(e => EmbeddingMath.Cosine(e, character.FaceEmbedding)).ToList();
            var referenceLoss = frames.Average(e => EmbeddingMath.MeanSquared(e, character.FaceEmbedding));
            var adjacent = Enumerable.Range(0, Math.Max(0, frames.Count - 1)).ToList();
            var temporalLoss = adjacent.Count == 0 ? 0 : adjacent.Average(t => EmbeddingMath.MeanSquared(frames[t], frames[t + 1]));
            var drift = adjacent.Count == 0 ? 0 : adjacent.Average(t => 1 - EmbeddingMath.Cosine(frames[t], frames[t + 1]));
            var leakage = characters.Select((other, o) => o == c ? 0f : frames.Average(e => EmbeddingMath.Cosine(e, other.FaceEmbedding))).ToList();
            return new CharacterConsistency(
                character.Request.IdentityId,
                similarity,
                similarity.Average(),
                drift,
                referenceLoss,
                temporalLoss,
                referenceLoss + (0.5f * temporalLoss),
                leakage);
        }).ToList();
        return new ConsistencyReport(report, untrained);
    }

    /// <summary>A square around the region's centre, resampled to [3, size, size] in -1..1.</summary>
    private static void Crop(ClipFrames clip, int frame, NormalizedBox box, int size, Span<float> target)
    {
        var side = Math.Min(Math.Min(clip.Width, clip.Height), Math.Max(box.Width * clip.Width, box.Height * clip.Height) * Margin);
        var left = Math.Clamp(((box.X + (box.Width / 2)) * clip.Width) - (side / 2), 0, clip.Width - side);
        var top = Math.Clamp(((box.Y + (box.Height / 2)) * clip.Height) - (side / 2), 0, clip.Height - side);
        var step = side / size;
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    target[(((c * size) + y) * size) + x] = clip.Sample(frame, c, left + ((x + 0.5f) * step) - 0.5f, top + ((y + 0.5f) * step) - 0.5f);
                }
            }
        }
    }

    private static List<float[]> Split(float[] values, int count)
    {
        var length = values.Length / count;
        return Enumerable.Range(0, count).Select(i => values.AsSpan(i * length, length).ToArray()).ToList();
    }
}
