using Likeness.Training.Cast;

namespace Likeness.Training.Tests.Cast;

public sealed class ProceduralCastUnitTests
{
    private readonly ProceduralCast cast = new(seed: 7);

    [Fact]
    public void Character_SameSeedAndId_IsTheSameCharacter() =>
        Assert.Equal(cast.Character(123), new ProceduralCast(7).Character(123));

    [Fact]
    public void Character_IsTheSameInEveryProcess()
    {
        // Pinned: a per-process hash would give another character in the next run, and training and evaluation
        // would no longer agree on who is held out.
        Assert.Equal("a heart-faced character with tan skin, purple bun hair, blond eyes and a grey hat", cast.Character(10).Describe());
        Assert.NotEqual(Seeds.Derive(7, 10), Seeds.Derive(7, 11));
    }

    [Fact]
    public void Character_AnotherSeed_IsAnotherCast() =>
        Assert.NotEqual(cast.Character(123) with { Id = 0 }, new ProceduralCast(8).Character(123) with { Id = 0 });

    [Fact]
    public void Characters_ThousandsAreDistinct()
    {
        var looks = Enumerable.Range(0, 2000).Select(id => cast.Character(id) with { Id = 0 }).ToList();

        Assert.True(looks.Distinct().Count() > 1950, $"{looks.Distinct().Count()} distinct looks among 2000.");
    }

    [Fact]
    public void HeldOut_NeverOverlapsTraining()
    {
        var training = cast.Training(1000).Select(c => c.Id).ToHashSet();
        var heldOut = cast.HeldOut(1000).Select(c => c.Id).ToList();

        Assert.Equal(100, heldOut.Count);
        Assert.DoesNotContain(heldOut, training.Contains);
        Assert.Equal(900, training.Count);
    }

    [Fact]
    public void Describe_NamesTheAttributes()
    {
        var who = Enumerable.Range(0, 200).Select(cast.Character).First(c => c.Glasses && c.Hair != HairStyle.Bald);

        var text = who.Describe();

        Assert.Contains("glasses", text, StringComparison.Ordinal);
        Assert.Contains(who.Hair.ToString().ToLowerInvariant(), text, StringComparison.Ordinal);
    }
}
