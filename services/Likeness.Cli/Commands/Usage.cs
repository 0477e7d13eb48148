namespace Likeness.Cli.Commands;

internal static class Usage
{
    public const string Text = """
        Usage: likeness <command> [options]     (from a checkout: dotnet run -c Release --project services/Likeness.Cli -- <command>)

        Client commands (against running services; --json prints one JSON document per line for scripts):
          encode IMAGE...  Encode reference images of one character; prints the identity id and each image's quality.
                           --combine mean|quality (mean)
          generate         Generate a clip and follow it: progress with queue position, step and ETA; writes previews,
                           frames, the clip (MP4 through ffmpeg when installed, else GIF) and report.json. Ctrl-C
                           cancels the job on the server.
                           --identity ID (once per character)  --prompt TEXT  --strength S (one, or one per character)
                           --region X,Y,W,H (0..1; one per character)  --frames N  --size PIXELS  --steps N
                           --guidance G  --seed N  --fps N  --preview-every N (steps/5)  --preview-side PIXELS (128)
                           --request-id ID (a retry attaches to the same job)  --out DIR (out/<job>)  --clip auto|mp4|gif
          watch JOB        Attach to a running or recent job and follow it like generate. Ctrl-C detaches.
                           --after SEQUENCE (0)  --out DIR (out/<job>)  --clip auto|mp4|gif
          cancel JOB       Stop a queued or running job.
          describe [ID]    Both services' models, sizes and limits; or a stored identity; or a job (job_…).
          delete IDENTITY  Remove a stored identity.

          Where: --server URL for both services (LIKENESS_SERVER, default http://127.0.0.1:5000, the embedded host),
                 or --encoder URL and --generator URL (LIKENESS_ENCODER, LIKENESS_GENERATOR) for separate ones.
          Exit codes: 0 done; 1 server or job failed; 2 command line not understood; 3 input rejected (INVALID_ARGUMENT,
                 FAILED_PRECONDITION, a file that cannot be read); 4 NOT_FOUND; 5 try again later (UNAVAILABLE,
                 RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED); 6 job cancelled by someone else; 130 interrupted (Ctrl-C).

        Training and evaluation:
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
