using System.Globalization;
using Likeness.Contracts.Generation.V1;
using Spectre.Console;

namespace Likeness.Client.Jobs;

/// <summary>
/// A job's progress on stderr: on a terminal a Spectre.Console progress bar redrawn in place (queue position, then
/// step, ms per step and ETA) with notes printed above it; when stderr is a file or a pipe, plain lines: one per queue
/// move and per quarter of the steps.
/// </summary>
/// <param name="quiet">Nothing at all: with <c>--json</c> the events on stdout carry the progress.</param>
public sealed class JobProgress(bool quiet)
{
    private readonly bool live = !Console.IsErrorRedirected;
    private readonly Lazy<IAnsiConsole> console = new(() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
        Interactive = InteractionSupport.Yes,
    }));

    private ProgressTask? bar;
    private int quarter = -1;

    /// <summary>Runs <paramref name="work"/> with the live bar shown (on a terminal) until it ends.</summary>
    public async Task RunAsync(Func<Task> work)
    {
        if (quiet || !live)
        {
            await work();
            return;
        }

        await console.Value.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                bar = context.AddTask("starting", maxValue: 1);
                bar.IsIndeterminate = true;
                try
                {
                    await work();
                }
                finally
                {
                    bar.StopTask();
                    bar = null;
                }
            });
    }

    public void Queued(uint position) =>
        Show(position == 0 ? "queued, next in line" : $"queued, {position} job(s) ahead", done: 0, total: null);

    /// <summary>A denoising step; for a clip of several chunks, which chunk and how many frames have arrived.</summary>
    public void Step(StepProgress step, int framesDone, uint totalFrames)
    {
        var chunks = Math.Max(1, step.TotalChunks);
        var where = chunks > 1 ? string.Create(CultureInfo.InvariantCulture, $"chunk {step.Chunk + 1}/{chunks}  frames {framesDone}/{totalFrames}  ") : "";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{where}step {step.Step}/{step.TotalSteps}  {step.StepTime.ToTimeSpan().TotalMilliseconds:0} ms/step  ETA {step.Eta.ToTimeSpan().TotalSeconds:0.0} s");
        var (done, total) = (((double)step.Chunk * step.TotalSteps) + step.Step, (double)chunks * Math.Max(1, step.TotalSteps));
        var reached = (int)(4 * done / total);
        if (live || reached > quarter)
        {
            quarter = reached;
            Show(text, done, total);
        }
    }

    /// <summary>A line of its own, above the bar.</summary>
    public void Note(string text)
    {
        if (!quiet)
        {
            Line(text);
        }
    }

    /// <summary>Through Spectre.Console on a terminal (it keeps the bar below); as it is into a file or a pipe, never wrapped.</summary>
    private void Line(string text)
    {
        if (live)
        {
            console.Value.WriteLine(text);
        }
        else
        {
            Console.Error.WriteLine(text);
        }
    }

    private void Show(string text, double done, double? total)
    {
        if (quiet)
        {
            return;
        }

        if (bar is null)
        {
            Line(text);
            return;
        }

        bar.Description = Markup.Escape(text);
        bar.IsIndeterminate = total is null;
        bar.MaxValue = Math.Max(1, total ?? 1);
        bar.Value = done;
    }
}
