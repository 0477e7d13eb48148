using Likeness.Core.Errors;
using Likeness.Identity.Encoder;
using Likeness.Identity.Families;
using Likeness.Identity.Images;
using Likeness.Identity.Store;
using Microsoft.Extensions.Options;

namespace Likeness.Identity.Scoring;

/// <summary>
/// Scores how well a clip keeps one or more people: every face of every frame is found with BlazeFace, described with
/// dlib's ResNet and compared with each person's reference descriptor. Works on clips made by any video model. All
/// model work runs in the encoder's <see cref="ModelSlots"/>.
/// </summary>
public sealed class ConsistencyScoring(
    IdentityFamilies families,
    StoredIdentityReader reader,
    ReferenceDecoder decoder,
    ModelSlots slots,
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

    /// <summary>
    /// Checks every person's shape first (so a bad request costs no model work), then resolves each person's
    /// descriptor; call before the frames arrive.
    /// </summary>
    /// <exception cref="LikenessException">
    /// INVALID_ARGUMENT naming <c>people</c>, a person, a reference or <c>threshold</c>; NOT_FOUND, DATA_LOSS or
    /// FAILED_PRECONDITION naming <c>people[i].identity_id</c>; RESOURCE_EXHAUSTED past the model queue.
    /// </exception>
    public async Task<ClipScorer> StartAsync(IReadOnlyList<ScoringPerson> people, float? threshold, CancellationToken cancellationToken)
    {
        CheckShape(people, threshold);
        var models = families.RequirePhotoFaces();
        var photo = new PhotoIdentityFamily(models);
        var descriptors = new float[people.Count][];
        for (var p = 0; p < people.Count; p++)
        {
            descriptors[p] = people[p].IdentityId is { Length: > 0 } id
                ? await StoredDescriptorAsync(photo, id, $"people[{p}].identity_id", cancellationToken)
                : await ReferenceDescriptorAsync(photo, people[p].References, $"people[{p}].references", cancellationToken);
        }

        var names = people.Select((person, p) => string.IsNullOrWhiteSpace(person.Name) ? $"person {p + 1}" : person.Name).ToList();
        return new ClipScorer(decoder, slots, options.Value.MaxFrames, models, names, descriptors, threshold ?? DefaultThreshold);
    }

    private void CheckShape(IReadOnlyList<ScoringPerson> people, float? threshold)
    {
        var maxPeople = options.Value.MaxPeople;
        if (people.Count < 1 || people.Count > maxPeople)
        {
            throw LikenessException.InvalidArgument("people", $"has {people.Count} people; between 1 and {maxPeople} are accepted.");
        }

        if (threshold is { } t && !(t >= MinThreshold && t <= MaxThreshold))
        {
            throw LikenessException.InvalidArgument("threshold", $"is {t}; it must lie within {MinThreshold}..{MaxThreshold}.");
        }

        var maxReferences = referenceOptions.Value.MaxReferences;
        for (var p = 0; p < people.Count; p++)
        {
            var (hasId, references) = (!string.IsNullOrEmpty(people[p].IdentityId), people[p].References.Count);
            if (hasId == references > 0)
            {
                throw LikenessException.InvalidArgument($"people[{p}]", "needs either references or identity_id, not both and not neither.");
            }

            if (hasId)
            {
                IdentityIds.Validate(people[p].IdentityId, $"people[{p}].identity_id");
            }
            else if (references > maxReferences)
            {
                throw LikenessException.InvalidArgument($"people[{p}].references", $"has {references} images; at most {maxReferences} are accepted.");
            }
        }
    }

    private async Task<float[]> StoredDescriptorAsync(PhotoIdentityFamily photo, string identityId, string field, CancellationToken cancellationToken)
    {
        try
        {
            return (await reader.ReadAsync(identityId, [photo.ModelId], cancellationToken)).Tokens.FaceEmbedding;
        }
        catch (LikenessException e) when (e.Field is null)
        {
            throw new LikenessException(e.Kind, e.Message, field, e);
        }
    }

    private async Task<float[]> ReferenceDescriptorAsync(
        PhotoIdentityFamily photo, IReadOnlyList<ReferenceImage> images, string field, CancellationToken cancellationToken)
    {
        var references = new List<CheckedReference>();
        try
        {
            foreach (var image in images)
            {
                references.Add(decoder.Check(image, references.Count, field, keepDetail: true));
            }

            return await slots.RunAsync(() =>
            {
                var quality = references.Select(r => QualityAnalyzer.Analyze(r, photo.Finder)).ToList();
                if (quality.FindIndex(q => q.Faces.Count == 0) is var missing and >= 0)
                {
                    throw LikenessException.InvalidArgument($"{field}[{missing}].data", $"shows no face that {photo.Finder.Name} can find.");
                }

                return photo.Encode(references, quality, []).FaceEmbedding;
            }, cancellationToken);
        }
        finally
        {
            references.ForEach(r => r.Dispose());
        }
    }
}
