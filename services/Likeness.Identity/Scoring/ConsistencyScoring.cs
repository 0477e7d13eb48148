using Likeness.Core.Errors;
using Likeness.Identity.Encoder;
using Likeness.Identity.Faces;
using Likeness.Identity.Families;
using Likeness.Identity.Images;
using Likeness.Model.Identity;
using Microsoft.Extensions.Options;

namespace Likeness.Identity.Scoring;

/// <summary>
/// Scores how well a clip keeps one or more people: every face of every frame is found with BlazeFace, described with
/// dlib's ResNet and compared with each person's reference descriptor. Works on clips made by any video model.
/// </summary>
public sealed class ConsistencyScoring(
    IdentityFamilies families,
    IdentityEncoding encoding,
    ReferenceDecoder decoder,
    IOptions<ReferenceImageOptions> referenceOptions,
    IOptions<ScoringOptions> options)
{
    /// <summary>
    /// The calibrated same-person threshold on the Euclidean distance between descriptors of aligned chips: two faces
    /// closer than this are taken for one person. <c>likeness-train calibrate-faces</c> measured it on 131 faces of three
    /// people (35 transformed views of each photo, and the people composited two to a frame): TMR 98.4% of 2,795
    /// same-person pairs, FMR 0 of 5,720 different-person pairs; the closest different people lay at 0.572, the median
    /// same-person pair at 0.21 and the median different-person pair at 0.78. It is the highest threshold without a false
    /// match less a tenth of the median-to-median distance (0.515, rounded), because real impostors come closer than
    /// three people; dlib's usual 0.6 let 0.07% of those pairs through (the closest: two faces blurred with σ3). Views
    /// of one photo are easier than real same-person pairs, so expect a lower true-match rate across different photos.
    /// </summary>
    public const float DefaultThreshold = 0.52f;

    /// <summary>Thresholds a caller may set.</summary>
    public const float MinThreshold = 0.1f, MaxThreshold = 1.5f;

    /// <summary>Resolves each person's descriptor; call before the frames arrive, so bad people fail fast.</summary>
    /// <exception cref="LikenessException">INVALID_ARGUMENT naming <c>people</c>, a reference or the threshold; NOT_FOUND, DATA_LOSS or FAILED_PRECONDITION for an identity.</exception>
    public async Task<ClipScorer> StartAsync(IReadOnlyList<ScoringPerson> people, float? threshold, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (people.Count < 1 || people.Count > limits.MaxPeople)
        {
            throw LikenessException.InvalidArgument("people", $"has {people.Count} people; between 1 and {limits.MaxPeople} are accepted.");
        }

        if (threshold is { } t && !(t >= MinThreshold && t <= MaxThreshold))
        {
            throw LikenessException.InvalidArgument("threshold", $"is {t}; it must lie within {MinThreshold}..{MaxThreshold}.");
        }

        var photo = new PhotoIdentityFamily(families.RequirePhotoFaces());
        var descriptors = new float[people.Count][];
        for (var p = 0; p < people.Count; p++)
        {
            descriptors[p] = await DescriptorAsync(photo, people[p], p, cancellationToken);
        }

        return new ClipScorer(decoder, limits.MaxFrames, families.RequirePhotoFaces(), photo, people.Select((person, p) => string.IsNullOrWhiteSpace(person.Name) ? $"person {p + 1}" : person.Name).ToList(),
            descriptors, threshold ?? DefaultThreshold);
    }

    private async Task<float[]> DescriptorAsync(PhotoIdentityFamily photo, ScoringPerson person, int index, CancellationToken cancellationToken)
    {
        var field = $"people[{index}]";
        var hasId = !string.IsNullOrEmpty(person.IdentityId);
        if (hasId == person.References.Count > 0)
        {
            throw LikenessException.InvalidArgument(field, "needs either references or identity_id, not both and not neither.");
        }

        if (hasId)
        {
            var stored = await encoding.GetAsync(person.IdentityId!, cancellationToken);
            if (stored.Tokens.ModelId != photo.ModelId)
            {
                throw new LikenessException(LikenessErrorKind.FailedPrecondition,
                    $"Identity {person.IdentityId} was encoded by model {stored.Tokens.ModelId}; scoring needs an identity of the photo family ({photo.ModelId}): encode with family PHOTO.",
                    $"{field}.identity_id");
            }

            return stored.Tokens.FaceEmbedding;
        }

        var limits = referenceOptions.Value;
        if (person.References.Count > limits.MaxReferences)
        {
            throw LikenessException.InvalidArgument($"{field}.references", $"has {person.References.Count} images; at most {limits.MaxReferences} are accepted.");
        }

        var references = new List<CheckedReference>();
        try
        {
            foreach (var reference in person.References)
            {
                references.Add(decoder.Check(reference, references.Count, $"{field}.references", keepDetail: true));
            }

            var quality = references.Select(r => QualityAnalyzer.Analyze(r, photo.Finder)).ToList();
            if (quality.FindIndex(q => q.Faces.Count == 0) is var missing and >= 0)
            {
                throw LikenessException.InvalidArgument($"{field}.references[{missing}].data", $"shows no face that {photo.Finder.Name} can find.");
            }

            return await Task.Run(() => photo.Encode(references, quality, []).FaceEmbedding, cancellationToken);
        }
        finally
        {
            references.ForEach(r => r.Dispose());
        }
    }

    /// <summary>Scores one clip frame by frame, as the frames arrive.</summary>
    public sealed class ClipScorer
    {
        private readonly ReferenceDecoder decoder;
        private readonly int maxFrames;
        private readonly PhotoFaceModels models;
        private readonly PhotoIdentityFamily photo;
        private readonly IReadOnlyList<string> names;
        private readonly float[][] references;
        private readonly float threshold;
        private readonly List<FrameScore> frames = [];
        private readonly List<float[]?[]> assigned = [];

        internal ClipScorer(
            ReferenceDecoder decoder, int maxFrames, PhotoFaceModels models, PhotoIdentityFamily photo, IReadOnlyList<string> names, float[][] references, float threshold)
        {
            (this.decoder, this.maxFrames, this.models, this.photo) = (decoder, maxFrames, models, photo);
            (this.names, this.references, this.threshold) = (names, references, threshold);
        }

        /// <summary>Finds, describes and assigns the faces of the next frame.</summary>
        /// <exception cref="LikenessException">INVALID_ARGUMENT naming <c>frames[i].data</c>, or <c>frames</c> past the limit.</exception>
        public async Task<FrameScore> AddAsync(ReferenceImage frame, CancellationToken cancellationToken)
        {
            var index = frames.Count;
            if (index >= maxFrames)
            {
                throw LikenessException.InvalidArgument("frames", $"has more than {maxFrames} frames.");
            }

            using var image = decoder.Check(frame, index, "frames", keepDetail: true);
            var (faces, descriptors) = await Task.Run(() =>
            {
                var found = models.Detect(image.Working);
                return (found, models.Describe(image.Detail, (image.Working.Width, image.Working.Height), found));
            }, cancellationToken);

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

            var score = new FrameScore(index, faces.Select((face, f) =>
                new ScoredFace(FoundFace.From(face, image.Working.Width, image.Working.Height), comparisons[f], person[f])).ToList());
            frames.Add(score);
            assigned.Add(byPerson);
            return score;
        }

        /// <summary>The clip's figures over every frame added.</summary>
        /// <exception cref="LikenessException">INVALID_ARGUMENT when no frame came.</exception>
        public ClipScore Finish()
        {
            if (frames.Count == 0)
            {
                throw LikenessException.InvalidArgument("frames", "is empty; send at least one frame after the people.");
            }

            var people = new List<PersonScore>();
            for (var p = 0; p < references.Length; p++)
            {
                var track = assigned.Select(a => a[p]).ToList();
                var present = track.Count(d => d is not null);
                var confused = new int[references.Length];
                foreach (var face in frames.SelectMany(f => f.Faces).Where(f => f.Person == p))
                {
                    for (var q = 0; q < references.Length; q++)
                    {
                        confused[q] += q != p && face.Comparisons[q].SamePerson ? 1 : 0;
                    }
                }

                var leaked = frames.SelectMany(f => f.Faces).Count(f => f.Person == p && f.Comparisons.Where((c, q) => q != p && c.SamePerson).Any());
                var figures = present > 0 ? ConsistencyMetrics.MeasurePresent(track, references[p]) : null;
                people.Add(new PersonScore(
                    names[p],
                    present,
                    1 - (present / (float)frames.Count),
                    figures?.FaceSim ?? 0,
                    figures?.Drift ?? 0,
                    figures?.IdentityLoss ?? 0,
                    present > 0 ? leaked / (float)present : 0,
                    confused));
            }

            return new ClipScore(frames, people, threshold, photo.ModelId);
        }

        private FaceComparison Compare(float[] face, float[] reference)
        {
            var distance = MathF.Sqrt(face.Zip(reference, (a, b) => (a - b) * (a - b)).Sum());
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
}
