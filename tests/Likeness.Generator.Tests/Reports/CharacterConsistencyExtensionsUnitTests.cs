using Likeness.Contracts.Generation.V1;

namespace Likeness.Generator.Tests.Reports;

public sealed class CharacterConsistencyExtensionsUnitTests
{
    [Fact]
    public void MaxLeakage_IgnoresTheCharactersOwnSlot_EvenWhenTheOthersAreNegative()
    {
        var second = new CharacterConsistency { Leakage = { -0.35f, 0f, -0.1f } };

        Assert.Equal(-0.1f, second.MaxLeakage(self: 1));
    }

    [Fact]
    public void MaxLeakage_OneCharacter_IsZero() =>
        Assert.Equal(0f, new CharacterConsistency { Leakage = { 0f } }.MaxLeakage(self: 0));
}
