using SkiaSharp;

namespace Likeness.Training.Cast;

/// <summary>
/// Thousands of distinct characters from one seed. Character <c>i</c> is the same on every machine and in every run;
/// identities whose id is a multiple of <see cref="HeldOutEvery"/> are held out for evaluation and never trained on.
/// </summary>
public sealed class ProceduralCast(int seed)
{
    /// <summary>Every tenth identity is held out.</summary>
    public const int HeldOutEvery = 10;

    public int Seed { get; } = seed;

    public static bool IsHeldOut(int id) => id % HeldOutEvery == 0;

    public CharacterTraits Character(int id)
    {
        var random = new Random(Seeds.Derive(Seed, id, 0x1D));
        var hat = random.Next(4) == 0;
        return new CharacterTraits(
            id,
            Pick<FaceShape>(random),
            Palette.Skins[random.Next(Palette.Skins.Length)].Color,
            Pick<HairStyle>(random),
            Palette.Colours[random.Next(Palette.Colours.Length)].Color,
            Palette.Colours[random.Next(Palette.Colours.Length)].Color,
            Pick<NoseShape>(random),
            Pick<MouthShape>(random),
            Glasses: random.Next(3) == 0,
            Hat: hat,
            HatColor: Palette.Colours[random.Next(Palette.Colours.Length)].Color,
            Scar: random.Next(6) == 0);
    }

    /// <summary>Training identities among the first <paramref name="count"/> ids.</summary>
    public IEnumerable<CharacterTraits> Training(int count) => Enumerable.Range(0, count).Where(id => !IsHeldOut(id)).Select(Character);

    /// <summary>Held-out identities among the first <paramref name="count"/> ids.</summary>
    public IEnumerable<CharacterTraits> HeldOut(int count) => Enumerable.Range(0, count).Where(IsHeldOut).Select(Character);

    private static T Pick<T>(Random random) where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        return values[random.Next(values.Length)];
    }

    /// <summary>Colours as the renderer reads them, for tests.</summary>
    internal static SKColor Background(Random random) =>
        new((byte)random.Next(20, 236), (byte)random.Next(20, 236), (byte)random.Next(20, 236));
}
