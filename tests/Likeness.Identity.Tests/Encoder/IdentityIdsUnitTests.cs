using Likeness.Core.Errors;
using Likeness.Identity.Encoder;
using Likeness.Identity.Tokens;

namespace Likeness.Identity.Tests.Encoder;

public sealed class IdentityIdsUnitTests
{
    private static readonly byte[] A = [1, 2, 3];
    private static readonly byte[] B = [4, 5, 6];

    [Fact]
    public void Compute_IsIndependentOfOrder() =>
        Assert.Equal(IdentityIds.Compute("m", CombineMode.Mean, [A, B]), IdentityIds.Compute("m", CombineMode.Mean, [B, A]));

    [Fact]
    public void Compute_DependsOnModelCombineModeAndEveryReference()
    {
        var id = IdentityIds.Compute("m", CombineMode.Mean, [A, B]);

        Assert.NotEqual(id, IdentityIds.Compute("n", CombineMode.Mean, [A, B]));
        Assert.NotEqual(id, IdentityIds.Compute("m", CombineMode.QualityWeighted, [A, B]));
        Assert.NotEqual(id, IdentityIds.Compute("m", CombineMode.Mean, [A]));
        Assert.NotEqual(id, IdentityIds.Compute("m", CombineMode.Mean, [A, B, B]));
        Assert.Equal(IdentityIds.Length, id.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abc")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void Validate_Malformed_NamesTheField(string id) =>
        Assert.Equal("identity_id", Assert.Throws<LikenessException>(() => IdentityIds.Validate(id)).Field);
}
