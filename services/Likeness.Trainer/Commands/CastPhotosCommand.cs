using System.CommandLine;
using Likeness.Media;
using Likeness.Training.Cast;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train cast-photos</c>: reference photos of one cast member as PNG, for trying the services with a character
/// the models have never seen (a held-out id, a multiple of ten) or one they trained on.
/// </summary>
internal static class CastPhotosCommand
{
    public static Command Create()
    {
        var id = TrainerOptions.Number("--id", 10, "Cast id; multiples of ten are held out of training.", minimum: 0);
        var count = TrainerOptions.Number("--count", 3, "Photos to write.", minimum: 1);
        var size = TrainerOptions.Number("--size", 256, "Photo side in pixels.", minimum: 32);
        var castSeed = TrainerOptions.Number("--cast-seed", 7, "Seed of the cast.");
        var output = TrainerOptions.Text("--out", "out/cast-photos", "Output folder.");
        var name = TrainerOptions.Text("--name", "", "File name prefix (default character-ID).");
        var command = new Command("cast-photos", "Write reference photos of one cast member.") { id, count, size, castSeed, output, name };
        command.SetAction(parse =>
        {
            var who = parse.GetValue(id);
            var prefix = parse.GetValue(name) is { Length: > 0 } given ? given : $"character-{who}";
            return Run(new ProceduralCast(parse.GetValue(castSeed)), who, parse.GetValue(count), parse.GetValue(size), parse.GetValue(output)!, prefix);
        });
        return command;
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
