using Likeness.Core.Errors;
using Likeness.Identity.Encoder;
using Likeness.Identity.Families;
using Likeness.Identity.Images;
using Likeness.Identity.Tokens;

namespace Likeness.Identity.Tests.Encoder;

public sealed class EncodeRequestValidatorUnitTests
{
    private static readonly ReferenceImageOptions Limits = new();

    private static ReceivedImage Image(int? format = null) => new(new byte[] { 1, 2, 3 }, format);

    [Fact]
    public void Validate_UnsetValues_TakeTheDocumentedDefaults()
    {
        var request = EncodeRequestValidator.Validate(new([Image(), Image(2)], null, null), Limits);

        Assert.Equal(CombineMode.Mean, request.Combine);
        Assert.Equal(IdentityFamilyKind.Generation, request.Family);
        Assert.Equal([null, EncodedImageFormat.Jpeg], request.References.Select(r => r.DeclaredFormat));
    }

    [Fact]
    public void Validate_KnownValues_AreKept() =>
        Assert.Equal((CombineMode.QualityWeighted, IdentityFamilyKind.Photo),
            EncodeRequestValidator.Validate(new([Image(1)], 2, 2), Limits) is var r ? (r.Combine, r.Family) : default);

    [Theory]
    [InlineData(7, null, null, "combine_mode")]
    [InlineData(-1, null, null, "combine_mode")]
    [InlineData(null, 9, null, "family")]
    [InlineData(null, null, 4, "references[0].format")]
    [InlineData(null, null, 99, "references[0].format")]
    public void Validate_UnknownEnumValue_IsInvalidArgumentNamingTheField(int? combine, int? family, int? format, string field)
    {
        var error = Assert.Throws<LikenessException>(() => EncodeRequestValidator.Validate(new([Image(format)], combine, family), Limits));

        Assert.Equal(LikenessErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Validate_ReferenceCountOutsideTheLimits_NamesReferences(int count)
    {
        var error = Assert.Throws<LikenessException>(() =>
            EncodeRequestValidator.Validate(new(Enumerable.Repeat(Image(), count).ToList(), null, null), Limits));

        Assert.Equal("references", error.Field);
        Assert.Contains($"has {count} images", error.Message, StringComparison.Ordinal);
    }
}
