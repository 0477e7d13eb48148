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

        Training, evaluation and cast photos are another tool: dotnet run -c Release --project services/Likeness.Trainer -- --help
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
