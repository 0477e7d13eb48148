using Likeness.Generation.Rendering;
using Likeness.Training.Cast;

namespace Likeness.Cli.Commands;

/// <summary>
/// <c>likeness cast-photos</c>: reference photos of one cast member as PNG, for trying the services with a character
/// the models have never seen (a held-out id, a multiple of ten) or one they trained on.
/// </summary>
internal static class CastPhotosCommand
{
    public static Func<int> Bind(CommandLine options)
    {
        var id = options.Number("--id", 10, minimum: 0);
        var count = options.Number("--count", 3, minimum: 1);
        var size = options.Number("--size", 256, minimum: 32);
        var castSeed = options.Number("--cast-seed", 7);
        var output = options.Text("--out", "out/cast-photos");
        var name = options.Text("--name", $"character-{id}");
        return () => Run(new ProceduralCast(castSeed), id, count, size, output, name);
    }

    private static int Run(ProceduralCast cast, int id, int count, int size, string output, string name)
    {
        var who = cast.Character(id);
        Directory.CreateDirectory(output);
        for (var k = 0; k < count; k++)
        {
            var clip = ClipDirector.Direct((id * 1000) + k, frames: 8);
            var photo = CastRenderer.Render(who, clip.Background, clip.Poses[k % clip.Poses.Count], size);
            var path = Path.Combine(output, $"{name}-{k + 1}.png");
            File.WriteAllBytes(path, FrameImages.Png(photo.Rgb, size, size));
            Console.WriteLine($"Wrote {path}");
        }

        Console.WriteLine($"Character {id} ({(ProceduralCast.IsHeldOut(id) ? "held out of training" : "seen in training")}): {who.Describe()}");
        return 0;
    }
}
