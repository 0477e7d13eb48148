using Likeness.Training.Cast;

namespace Likeness.Training.Traits;

/// <summary>One trait a character is drawn with, as the trait classifier reads it: its name, its classes, and a character's class.</summary>
/// <param name="Applies">False where the trait cannot be seen (the hair colour of a bald character); such samples are not scored.</param>
public sealed record CastTrait(string Name, int Classes, Func<CharacterTraits, int> ClassOf, Func<CharacterTraits, bool> Applies)
{
    /// <summary>The eight traits the evaluation reports: face shape, skin tone, hair style and colour, eye colour, glasses, hat, scar.</summary>
    public static readonly IReadOnlyList<CastTrait> All =
    [
        new("face shape", Enum.GetValues<FaceShape>().Length, c => (int)c.Face, _ => true),
        new("skin tone", Palette.Skins.Length, c => Array.FindIndex(Palette.Skins, s => s.Color == c.Skin), _ => true),
        new("hair style", Enum.GetValues<HairStyle>().Length, c => (int)c.Hair, _ => true),
        new("hair colour", Palette.Colours.Length, c => Array.FindIndex(Palette.Colours, s => s.Color == c.HairColor), c => c.Hair != HairStyle.Bald),
        new("eye colour", Palette.Colours.Length, c => Array.FindIndex(Palette.Colours, s => s.Color == c.EyeColor), _ => true),
        new("glasses", 2, c => c.Glasses ? 1 : 0, _ => true),
        new("hat", 2, c => c.Hat ? 1 : 0, _ => true),
        new("scar", 2, c => c.Scar ? 1 : 0, _ => true),
    ];
}
