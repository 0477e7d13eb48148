using Likeness.Generation.Identities;
using Likeness.Media;
using Likeness.Model.Identity;
using Likeness.Identity.Images;

namespace Likeness.Generation.Consistency;

/// <summary>
/// Scores a finished clip with the identity model's backbone f: each character's region in each frame is cropped,
/// embedded and compared with f(ref) stored with its tokens — the seed's identity preservation loss, reported.
/// </summary>
public static class ConsistencyScorer
{
    public static ConsistencyReport Score(ClipFrames clip, IReadOnlyList<LoadedCharacter> characters, LoadedIdentityModel identityModel, bool untrained)
    {
        var size = identityModel.Config.InputSize;
        var cropLength = 3 * size * size;
        var embeddings = characters.Select(character =>
        {
            var crops = new float[clip.Frames * cropLength];
            for (var f = 0; f < clip.Frames; f++)
            {
                var region = character.Request.Region.At(clip.Frames == 1 ? 0 : f / (float)(clip.Frames - 1));
                FaceCrop.Extract(clip.Frame(f), clip.Width, clip.Height, region, size).CopyTo(crops, f * cropLength);
            }

            return Split(identityModel.Embed(crops, clip.Frames), clip.Frames);
        }).ToList();

        var report = characters.Select((character, c) =>
        {
            var frames = embeddings[c];
            var figures = ConsistencyMetrics.Measure(frames, character.FaceEmbedding);
            var leakage = characters.Select((other, o) => o == c ? 0f : frames.Average(e => EmbeddingMath.Cosine(e, other.FaceEmbedding))).ToList();
            return new CharacterConsistency(
                character.Request.IdentityId,
                figures.Similarity,
                figures.FaceSim,
                figures.Drift,
                figures.ReferenceLoss,
                figures.TemporalLoss,
                figures.IdentityLoss,
                leakage,
                character.Request.Region,
                character.Request.DefaultRegion);
        }).ToList();
        return new ConsistencyReport(report, untrained);
    }

    private static List<float[]> Split(float[] values, int count)
    {
        var length = values.Length / count;
        return Enumerable.Range(0, count).Select(i => values.AsSpan(i * length, length).ToArray()).ToList();
    }
}
