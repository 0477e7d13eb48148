using Likeness.Generation.Identities;
using Likeness.Generation.Requests;
using Likeness.Identity.Images;
using Likeness.Media;
using Likeness.Model.Identity;

namespace Likeness.Generation.Consistency;

/// <summary>
/// Scores a clip chunk by chunk as it is made, with the identity model's backbone f: each character's region in each
/// frame of the shots it is in is cropped, embedded and compared with f(ref) stored with its tokens (the seed's identity
/// preservation loss, reported), and the pixel change across each seam and inside each chunk is measured. Frames are
/// scored as published (8-bit), so a job resumed from its stored frames reports what an uninterrupted run does. Holds
/// one embedding per character per frame (the backbone's width in floats), whatever the clip's length.
/// </summary>
public sealed class ConsistencyRecorder
{
    private readonly IReadOnlyList<ShotRequest> shots;
    private readonly int height, width;
    private readonly IReadOnlyList<LoadedCharacter> cast;
    private readonly LoadedIdentityModel identity;
    private readonly float[]?[][] embeddings;
    private readonly List<ChunkConsistency> chunks = [];
    private readonly int[] shotOfFrame;
    private double motionSum;
    private int motionCount;

    /// <param name="shots">The clip's shots (<see cref="GenerationRequest.Shots"/>), whose frames add up to the clip's.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="cast">The request's characters with their tokens and reference embeddings, in request order.</param>
    public ConsistencyRecorder(IReadOnlyList<ShotRequest> shots, int height, int width, IReadOnlyList<LoadedCharacter> cast, LoadedIdentityModel identity)
    {
        this.shots = shots;
        (this.height, this.width) = (height, width);
        this.cast = cast;
        this.identity = identity;
        var frames = shots.Sum(s => s.Frames);
        embeddings = cast.Select(_ => new float[]?[frames]).ToArray();
        shotOfFrame = new int[frames];
    }

    /// <summary>Scores the new frames of <paramref name="chunk"/>.</summary>
    /// <param name="rgb">The chunk's new frames as published: interleaved 8-bit RGB at the request's size, one array per frame.</param>
    /// <param name="before">The frame just before the chunk when it continues one (its context's last), else null.</param>
    public void Record(ClipChunk chunk, IReadOnlyList<byte[]> rgb, byte[]? before)
    {
        var shot = shots[chunk.Shot];
        var made = ClipFrames.FromRgb8(rgb, height, width);
        var size = identity.Config.InputSize;
        var cropLength = 3 * size * size;
        for (var j = 0; j < shot.Characters.Count; j++)
        {
            var (character, c) = (shot.Characters[j], shot.Cast[j]);
            var crops = new float[made.Frames * cropLength];
            for (var f = 0; f < made.Frames; f++)
            {
                var box = character.Region.At(shot.Time(chunk.ShotOffset + f));
                FaceCrop.Extract(made.Frame(f), made.Width, made.Height, box, size).CopyTo(crops, f * cropLength);
            }

            var values = identity.Embed(crops, made.Frames);
            var length = values.Length / made.Frames;
            for (var f = 0; f < made.Frames; f++)
            {
                embeddings[c][chunk.FirstFrame + f] = values.AsSpan(f * length, length).ToArray();
            }
        }

        for (var f = 0; f < made.Frames; f++)
        {
            shotOfFrame[chunk.FirstFrame + f] = chunk.Shot;
        }

        var continues = chunk.ContextFrames > 0 && before is not null;
        var seam = continues ? Change(before!, rgb[0]) : 0;
        var inner = Enumerable.Range(1, rgb.Count - 1).Select(f => Change(rgb[f - 1], rgb[f])).ToList();
        motionSum += inner.Sum() + seam;
        motionCount += inner.Count + (continues ? 1 : 0);
        chunks.Add(new ChunkConsistency(chunk.Index, chunk.Shot, chunk.FirstFrame, chunk.Frames, (float)seam, inner.Count == 0 ? 0 : (float)inner.Average()));
    }

    /// <summary>The report over every chunk recorded; each character is scored over the frames of the shots it is in.</summary>
    public ConsistencyReport Report(bool untrained)
    {
        var characters = cast.Select((character, c) => Character(character, c)).OfType<CharacterConsistency>().ToList();
        return new ConsistencyReport(characters, untrained)
        {
            Chunks = chunks,
            MotionAmplitude = motionCount == 0 ? 0 : (float)(motionSum / motionCount),
        };
    }

    private CharacterConsistency? Character(LoadedCharacter character, int c)
    {
        var frames = embeddings[c];
        var present = Enumerable.Range(0, frames.Length).Where(f => frames[f] is not null).ToList();
        if (present.Count == 0)
        {
            return null;
        }

        // A cut between two frames is a gap: drift and the temporal loss are taken within shots only.
        var withGaps = new List<float[]?>(frames.Length + shots.Count);
        for (var f = 0; f < frames.Length; f++)
        {
            if (f > 0 && shotOfFrame[f] != shotOfFrame[f - 1] && !shots[shotOfFrame[f]].ContinuePrevious)
            {
                withGaps.Add(null);
            }

            withGaps.Add(frames[f]);
        }

        var figures = ConsistencyMetrics.MeasurePresent(withGaps, character.FaceEmbedding);
        var leakage = cast.Select((other, o) => o == c ? 0f : present.Average(f => EmbeddingMath.Cosine(frames[f]!, other.FaceEmbedding))).ToList();
        float FaceSim(IEnumerable<int> span) => span.Average(f => EmbeddingMath.Cosine(frames[f]!, character.FaceEmbedding));
        var byChunk = chunks
            .Select(k => (k.Chunk, Frames: Enumerable.Range(k.FirstFrame, k.Frames).Where(f => frames[f] is not null).ToList()))
            .Where(k => k.Frames.Count > 0)
            .Select(k => new SpanSimilarity(k.Chunk, FaceSim(k.Frames), 0))
            .ToList();
        var byShot = new List<SpanSimilarity>();
        var lastShot = -1;
        foreach (var group in present.GroupBy(f => shotOfFrame[f]))
        {
            byShot.Add(new SpanSimilarity(group.Key, FaceSim(group), lastShot < 0 ? 0 : group.Key - lastShot - 1));
            lastShot = group.Key;
        }

        return new CharacterConsistency(
            character.Request.IdentityId,
            figures.Similarity,
            figures.FaceSim,
            figures.Drift,
            figures.ReferenceLoss,
            figures.TemporalLoss,
            figures.IdentityLoss,
            leakage,
            OnlyShot(c)?.Region ?? character.Request.Region,
            OnlyShot(c)?.DefaultRegion ?? character.Request.DefaultRegion)
        {
            Chunks = byChunk,
            Shots = byShot,
            Frames = present.Count == frames.Length ? [] : present,
        };
    }

    /// <summary>Cast member <paramref name="c"/> as drawn in the clip's one shot; null for a clip of several shots (each has its own region).</summary>
    private CharacterRequest? OnlyShot(int c) =>
        shots is [var only] ? only.Characters.Where((_, j) => only.Cast[j] == c).FirstOrDefault() : null;

    /// <summary>Mean absolute change of an 8-bit value between two frames, on a 0..1 scale.</summary>
    private static double Change(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / (255.0 * a.Length);
    }
}
