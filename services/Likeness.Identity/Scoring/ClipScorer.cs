using Likeness.Core.Errors;
using Likeness.Identity.Encoder;
using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Model.Identity;

namespace Likeness.Identity.Scoring;

/// <summary>Scores one clip frame by frame, as the frames arrive; made by <see cref="ConsistencyScoring.StartAsync"/>. Not thread-safe: one stream, one scorer.</summary>
public sealed class ClipScorer
{
    private readonly ReferenceDecoder decoder;
    private readonly ModelSlots slots;
    private readonly int maxFrames;
    private readonly PhotoFaceModels models;
    private readonly IReadOnlyList<string> names;
    private readonly float[][] references;
    private readonly float threshold;
    private readonly List<FrameScore> frames = [];
    private readonly List<float[]?[]> assigned = [];

    internal ClipScorer(
        ReferenceDecoder decoder, ModelSlots slots, int maxFrames, PhotoFaceModels models, IReadOnlyList<string> names, float[][] references, float threshold)
    {
        (this.decoder, this.slots, this.maxFrames, this.models) = (decoder, slots, maxFrames, models);
        (this.names, this.references, this.threshold) = (names, references, threshold);
    }

    /// <summary>Frames added so far.</summary>
    public int FrameCount => frames.Count;

    /// <summary>Decodes the next frame, finds, describes and assigns its faces.</summary>
    /// <exception cref="LikenessException">INVALID_ARGUMENT naming <c>frames[i].data</c>, or <c>frames</c> past the limit; RESOURCE_EXHAUSTED past the model queue.</exception>
    public async Task<FrameScore> AddAsync(ReferenceImage frame, CancellationToken cancellationToken)
    {
        var index = frames.Count;
        if (index >= maxFrames)
        {
            throw LikenessException.InvalidArgument("frames", $"has more than {maxFrames} frames.");
        }

        var (score, byPerson) = await slots.RunAsync(() => Score(frame, index), cancellationToken);
        frames.Add(score);
        assigned.Add(byPerson);
        return score;
    }

    /// <summary>The clip's figures over every frame added.</summary>
    /// <exception cref="LikenessException">INVALID_ARGUMENT naming <c>frames</c> when none came.</exception>
    public ClipScore Finish()
    {
        if (frames.Count == 0)
        {
            throw LikenessException.InvalidArgument("frames", "is empty; send at least one frame after the people.");
        }

        return new ClipScore(frames, Enumerable.Range(0, references.Length).Select(Person).ToList(), threshold, models.ModelId);
    }

    private (FrameScore Score, float[]?[] ByPerson) Score(ReferenceImage frame, int index)
    {
        using var image = decoder.Check(frame, index, "frames", keepDetail: true);
        var (width, height) = (image.Working.Width, image.Working.Height);
        var faces = models.Detect(image.Working);
        var descriptors = models.Describe(image.Detail, (width, height), faces);
        var comparisons = descriptors.Select(d => references.Select(r => Compare(d, r)).ToList()).ToList();
        var person = Assign(comparisons);
        var byPerson = new float[]?[references.Length];
        for (var f = 0; f < faces.Count; f++)
        {
            if (person[f] is { } p)
            {
                byPerson[p] = descriptors[f];
            }
        }

        var scored = faces.Select((face, f) => new ScoredFace(FoundFace.From(face, width, height), comparisons[f], person[f])).ToList();
        return (new FrameScore(index, scored), byPerson);
    }

    private PersonScore Person(int p)
    {
        var track = assigned.Select(a => a[p]).ToList();
        var present = track.Count(d => d is not null);
        var mine = frames.SelectMany(f => f.Faces).Where(f => f.Person == p).ToList();
        var confused = Enumerable.Range(0, references.Length)
            .Select(q => q == p ? 0 : mine.Count(face => face.Comparisons[q].SamePerson))
            .ToList();
        var leaked = mine.Count(face => face.Comparisons.Where((c, q) => q != p && c.SamePerson).Any());
        var figures = present > 0 ? ConsistencyMetrics.MeasurePresent(track, references[p]) : null;
        return new PersonScore(
            names[p],
            present,
            1 - (present / (float)frames.Count),
            figures?.FaceSim ?? 0,
            figures?.Drift ?? 0,
            figures?.IdentityLoss ?? 0,
            present > 0 ? leaked / (float)present : 0,
            confused);
    }

    private FaceComparison Compare(float[] face, float[] reference)
    {
        var distance = EmbeddingMath.Distance(face, reference);
        return new FaceComparison(distance, EmbeddingMath.Cosine(face, reference), distance < threshold);
    }

    /// <summary>Closest same-person pairs first; each face and each person used once.</summary>
    private int?[] Assign(List<List<FaceComparison>> comparisons)
    {
        var person = new int?[comparisons.Count];
        var taken = new bool[references.Length];
        var pairs = comparisons
            .SelectMany((row, f) => row.Select((c, p) => (Face: f, Person: p, c.Distance, c.SamePerson)))
            .Where(x => x.SamePerson)
            .OrderBy(x => x.Distance);
        foreach (var (face, p, _, _) in pairs)
        {
            if (person[face] is null && !taken[p])
            {
                person[face] = p;
                taken[p] = true;
            }
        }

        return person;
    }
}
