using Likeness.Core.Errors;
using Likeness.Identity.Families;
using Likeness.Identity.Images;
using Likeness.Identity.Tokens;

namespace Likeness.Identity.Encoder;

/// <summary>
/// The one pass that turns what the encoder received into what it works on: counts within the limits and every enum
/// value one the contract defines, or INVALID_ARGUMENT naming the field. The images' bytes are checked later, by
/// <see cref="ReferenceDecoder"/>, where they are decoded.
/// </summary>
public static class EncodeRequestValidator
{
    /// <exception cref="LikenessException">INVALID_ARGUMENT naming <c>references</c>, <c>references[i].format</c>, <c>combine_mode</c> or <c>family</c>.</exception>
    public static EncodeRequest Validate(ReceivedEncodeRequest received, ReferenceImageOptions limits)
    {
        if (received.References.Count < limits.MinReferences || received.References.Count > limits.MaxReferences)
        {
            throw LikenessException.InvalidArgument("references",
                $"has {received.References.Count} images; between {limits.MinReferences} and {limits.MaxReferences} are accepted.");
        }

        var references = received.References.Select((image, i) => Image(image, $"references[{i}]")).ToList();
        var combine = received.CombineMode switch
        {
            null or 1 => CombineMode.Mean,
            2 => CombineMode.QualityWeighted,
            var other => throw LikenessException.InvalidArgument("combine_mode", $"{other} is not a known combine mode; send MEAN (1) or QUALITY_WEIGHTED (2)."),
        };
        var family = received.Family switch
        {
            null or 1 => IdentityFamilyKind.Generation,
            2 => IdentityFamilyKind.Photo,
            var other => throw LikenessException.InvalidArgument("family", $"{other} is not a known identity family; send GENERATION (1) or PHOTO (2)."),
        };
        return new EncodeRequest(references, combine, family);
    }

    /// <summary>One received image, its declared format checked (PNG, JPEG or WebP, or unstated).</summary>
    /// <param name="field">Where the image sits in the request, e.g. <c>references[2]</c> or <c>frames[10]</c>.</param>
    /// <exception cref="LikenessException">INVALID_ARGUMENT naming <c>{field}.format</c>.</exception>
    public static ReferenceImage Image(ReceivedImage image, string field) => new(image.Data, image.Format switch
    {
        null => null,
        1 => EncodedImageFormat.Png,
        2 => EncodedImageFormat.Jpeg,
        3 => EncodedImageFormat.Webp,
        4 => throw LikenessException.InvalidArgument($"{field}.format", "RGB8 is not accepted here; send PNG, JPEG or WebP."),
        var other => throw LikenessException.InvalidArgument($"{field}.format", $"{other} is not a known image format; send PNG, JPEG or WebP."),
    });
}
