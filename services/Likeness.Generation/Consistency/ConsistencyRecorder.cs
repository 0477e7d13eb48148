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
/// scored as published (8-bit), so a job resumed from its stored frames reports what an uninterrupted run does. Holds a
/// similarity and an index per character per frame, and running sums: memory does not grow with the backbone's width.
/// </summary>
public sealed class ConsistencyRecorder
{
    private readonly IReadOnlyList<ShotRequest> shots;
    private readonly int height, width;
    private readonly IReadOnlyList<LoadedCharacter> cast;
    private readonly LoadedIdentityModel identity;
    private readonly CharacterTally[] tallies;
    private readonly List<ChunkConsistency> chunks = [];
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
        tallies = cast.Select(c => new CharacterTally(c.FaceEmbedding, cast.Count)).ToArray();
    }

    /// <summary>Scores the new frames of <paramref name="chunk"/>; chunks come in order.</summary>
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
            var (character, tally) = (shot.Characters[j], tallies[shot.Cast[j]]);
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
                // A cut between two frames breaks adjacency: drift and the temporal loss are taken within runs of frames.
                var startsCut = chunk.ShotOffset + f == 0 && !shot.ContinuePrevious;
                tally.Add(chunk, chunk.FirstFrame + f, values.AsSpan(f * length, length).ToArray(), startsCut, cast);
            }
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
        var frames = shots.Sum(s => s.Frames);
        var characters = cast.Select((character, c) => tallies[c].Count == 0 ? null : Character(character, c, frames)).OfType<CharacterConsistency>().ToList();
        return new ConsistencyReport(characters, untrained)
        {
            Chunks = chunks,
            MotionAmplitude = motionCount == 0 ? 0 : (float)(motionSum / motionCount),
        };
    }

    private CharacterConsistency Character(LoadedCharacter character, int c, int frames)
    {
        var tally = tallies[c];
        var figures = tally.Measure.Result();
        var only = shots is [var shot] ? shot.Characters.Where((_, j) => shot.Cast[j] == c).FirstOrDefault() : null;
        return new CharacterConsistency(
            character.Request.IdentityId,
            figures.Similarity,
            figures.FaceSim,
            figures.Drift,
            figures.ReferenceLoss,
            figures.TemporalLoss,
            figures.IdentityLoss,
            tally.Leakage(c),
            only?.Region ?? character.Request.Region,
            only?.DefaultRegion ?? character.Request.DefaultRegion)
        {
            Chunks = tally.Chunks.Select(k => new SpanSimilarity(k.Key, (float)(k.Value.Sum / k.Value.Count), 0)).ToList(),
            Shots = tally.Shots(),
            Frames = tally.Frames.Count == frames ? [] : tally.Frames,
        };
    }

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

    /// <summary>One character's running figures: its FaceSim measure, leakage sums, and sums per chunk and per shot.</summary>
    private sealed class CharacterTally(float[] reference, int castSize)
    {
        private readonly double[] leakage = new double[castSize];
        private readonly SortedDictionary<int, (double Sum, int Count)> byShot = [];
        private int lastFrame = -2;

        public ConsistencyMeasure Measure { get; } = new(reference);

        public List<int> Frames { get; } = [];

        public SortedDictionary<int, (double Sum, int Count)> Chunks { get; } = [];

        public int Count => Frames.Count;

        public void Add(ClipChunk chunk, int frame, float[] embedding, bool startsCut, IReadOnlyList<LoadedCharacter> cast)
        {
            if (startsCut || frame != lastFrame + 1)
            {
                Measure.Add(null);
            }

            var similarity = Measure.Add(embedding);
            for (var o = 0; o < cast.Count; o++)
            {
                leakage[o] += EmbeddingMath.Cosine(embedding, cast[o].FaceEmbedding);
            }

            Chunks[chunk.Index] = Chunks.TryGetValue(chunk.Index, out var k) ? (k.Sum + similarity, k.Count + 1) : (similarity, 1);
            byShot[chunk.Shot] = byShot.TryGetValue(chunk.Shot, out var s) ? (s.Sum + similarity, s.Count + 1) : (similarity, 1);
            Frames.Add(frame);
            lastFrame = frame;
        }

        /// <summary>Mean similarity to each cast member's reference; 0 for the character itself.</summary>
        public List<float> Leakage(int self) => leakage.Select((sum, o) => o == self ? 0f : (float)(sum / Frames.Count)).ToList();

        /// <summary>FaceSim per shot, each with the shots in a row the character was absent just before it.</summary>
        public List<SpanSimilarity> Shots()
        {
            var list = new List<SpanSimilarity>();
            var last = -1;
            foreach (var (shot, (sum, count)) in byShot)
            {
                list.Add(new SpanSimilarity(shot, (float)(sum / count), last < 0 ? 0 : shot - last - 1));
                last = shot;
            }

            return list;
        }
    }
}
