using System.Globalization;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Cli.Client.Jobs;

/// <summary>
/// The job's progress on stderr: on a terminal one line redrawn in place (queue position, then a bar with step, ms per
/// step and ETA); when stderr is a file or a pipe, a line per queue move and per quarter of the steps.
/// </summary>
/// <param name="quiet">Nothing at all: with <c>--json</c> the events on stdout carry the progress.</param>
internal sealed class ProgressLine(bool quiet)
{
    private const int BarWidth = 24;
    private readonly bool live = !Console.IsErrorRedirected;
    private bool open;
    private int quarter = -1;

    public void Queued(uint position) =>
        Show(position == 0 ? "queued, next in line" : $"queued, {position} job(s) ahead");

    public void Step(StepProgress step)
    {
        var done = (int)Math.Round(BarWidth * step.Step / (double)Math.Max(1, step.TotalSteps));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', done)}{new string('-', BarWidth - done)}] step {step.Step}/{step.TotalSteps}  {step.StepTime.ToTimeSpan().TotalMilliseconds:0} ms/step  ETA {step.Eta.ToTimeSpan().TotalSeconds:0.0} s");
        var reached = (int)(4 * step.Step / Math.Max(1, step.TotalSteps));
        if (live || reached > quarter)
        {
            quarter = reached;
            Show(text);
        }
    }

    /// <summary>A line of its own, below the progress.</summary>
    public void Note(string text)
    {
        if (quiet)
        {
            return;
        }

        Finish();
        Console.Error.WriteLine(text);
    }

    /// <summary>Ends the redrawn line so what follows starts on a fresh one.</summary>
    public void Finish()
    {
        if (open)
        {
            Console.Error.WriteLine();
            open = false;
        }
    }

    private void Show(string text)
    {
        if (quiet)
        {
            return;
        }

        if (live)
        {
            Console.Error.Write($"\r{text}\u001b[K");
            open = true;
        }
        else
        {
            Console.Error.WriteLine(text);
        }
    }
}
