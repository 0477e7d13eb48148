using SkiaSharp;

namespace Likeness.Training.Cast;

/// <summary>The named colours characters are drawn from.</summary>
internal static class Palette
{
    public static readonly (string Name, SKColor Color)[] Skins =
    [
        ("pale", new SKColor(255, 224, 196)), ("fair", new SKColor(241, 194, 160)), ("tan", new SKColor(214, 160, 116)),
        ("olive", new SKColor(190, 150, 100)), ("brown", new SKColor(150, 100, 64)), ("dark", new SKColor(96, 62, 40)),
        ("green", new SKColor(150, 200, 120)), ("blue", new SKColor(130, 170, 220)),
    ];

    public static readonly (string Name, SKColor Color)[] Colours =
    [
        ("black", new SKColor(30, 28, 30)), ("brown", new SKColor(110, 70, 40)), ("blond", new SKColor(230, 200, 110)),
        ("red", new SKColor(200, 60, 40)), ("grey", new SKColor(150, 150, 150)), ("blue", new SKColor(50, 90, 210)),
        ("green", new SKColor(40, 160, 80)), ("purple", new SKColor(140, 60, 170)), ("orange", new SKColor(240, 140, 30)),
        ("white", new SKColor(240, 240, 240)),
    ];

    public static string SkinName(SKColor color) => Skins.First(s => s.Color == color).Name;

    public static string Name(SKColor color) => Colours.First(s => s.Color == color).Name;
}
