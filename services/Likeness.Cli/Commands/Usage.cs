namespace Likeness.Cli.Commands;

internal static class Usage
{
    public const string Text = """
        Usage: dotnet run -c Release --project services/Likeness.Cli -- <command> [options]

        Commands:
          train-backbone   Train a face recogniser on the procedural cast and report held-out identification.
                           --steps N (1500)  --cast N (1000 ids; every tenth held out)  --batch N (32)  --seed N (1)
                           --input PIXELS (112)  --widths W,W,.. (32,64,128,256)  --name NAME (face-backbone)
                           --out DIR (out/face-backbone)
          train-video      Train the identity encoder's projection and bank with the video denoiser, on top of a
                           trained backbone, with the identity preservation loss.
                           --backbone MANIFEST (out/training/face-backbone/face-backbone.manifest.json)
                           --steps N (3000)  --batch N (8)  --cast N (2000)  --seed N (1)  --checkpoint-every N (500)
                           --out DIR (out/training/family)  --resume DIR (go on from the checkpoint in DIR)
          evaluate         The consistency evaluation on held-out characters: the README's table and contact sheets.
                           --models DIR (models: identity, video and evaluator manifests)  --characters N (20)
                           --steps N (20)  --out DIR (out/evaluation)
          cast-photos      Reference photos (PNG) of one cast member, to try the services with.
                           --id N (10; multiples of ten are held out of training)  --count N (3)  --size PIXELS (256)
                           --name NAME  --out DIR (out/cast-photos)
        """;

    /// <returns>Exit code 2: the command line was not understood.</returns>
    public static int Print(string? problem = null)
    {
        if (problem is not null)
        {
            Console.Error.WriteLine(problem);
        }

        Console.Error.WriteLine(Text);
        return 2;
    }
}
