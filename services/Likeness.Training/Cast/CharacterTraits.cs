using SkiaSharp;

namespace Likeness.Training.Cast;

public enum FaceShape { Oval, Round, Square, Heart, Long }

public enum HairStyle { Bald, Short, Long, Bob, Spiky, Bun }

public enum NoseShape { Button, Long, Wide }

public enum MouthShape { Small, Wide, Full }

/// <summary>Everything that makes one cartoon character who they are; nothing here changes within a clip.</summary>
public sealed record CharacterTraits(
    int Id,
    FaceShape Face,
    SKColor Skin,
    HairStyle Hair,
    SKColor HairColor,
    SKColor EyeColor,
    NoseShape Nose,
    MouthShape Mouth,
    bool Glasses,
    bool Hat,
    SKColor HatColor,
    bool Scar)
{
    /// <summary>The character in words, for captions that describe who is in the clip.</summary>
    public string Describe()
    {
        var parts = new List<string> { $"a {Face.ToString().ToLowerInvariant()}-faced character with {Palette.SkinName(Skin)} skin" };
        parts.Add(Hair == HairStyle.Bald ? "no hair" : $"{Palette.Name(HairColor)} {Hair.ToString().ToLowerInvariant()} hair");
        parts.Add($"{Palette.Name(EyeColor)} eyes");
        if (Glasses)
        {
            parts.Add("glasses");
        }

        if (Hat)
        {
            parts.Add($"a {Palette.Name(HatColor)} hat");
        }

        if (Scar)
        {
            parts.Add("a scar on the cheek");
        }

        return string.Join(", ", parts[..^1]) + " and " + parts[^1];
    }
}
