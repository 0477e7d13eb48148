using System.Diagnostics;
using System.Text;

namespace Likeness.Testing;

/// <summary>Another program run by a test (a client in another language, the CLI, a browser driver), with its output collected.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder errors = new();
    private (Func<string, bool> Match, TaskCompletionSource<string> Line)? awaited;

    private ChildProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        process.OutputDataReceived += (_, e) => OnLine(output, e.Data, awaitable: true);
        process.ErrorDataReceived += (_, e) => OnLine(errors, e.Data, awaitable: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    public int ExitCode => process.ExitCode;

    public bool HasExited => process.HasExited;

    /// <param name="environment">Variables added to the test's own environment.</param>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName, arguments) { WorkingDirectory = workingDirectory ?? Repository.Root };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new ChildProcess(start);
    }

    /// <summary>Runs to the end; a run longer than <paramref name="timeout"/> is killed and fails the test.</summary>
    public static async Task<ChildProcess> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var child = Start(fileName, arguments, environment);
        await child.WaitForExitAsync(timeout);
        return child;
    }

    /// <summary>The first stdout line, printed so far or later, that <paramref name="match"/> accepts.</summary>
    /// <exception cref="InvalidOperationException">The program exited without printing one.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var line = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (output)
        {
            if (output.ToString().Split('\n').FirstOrDefault(match) is { } seen)
            {
                return seen;
            }

            awaited = (match, line);
        }

        var exited = process.WaitForExitAsync();
        await Task.WhenAny(line.Task, exited).WaitAsync(timeout);
        return line.Task.IsCompleted ? await line.Task : throw new InvalidOperationException($"No such line before the program exited.\n{this}");
    }

    /// <summary>Sends a signal by name (INT for Ctrl-C, TERM), as a terminal or an orchestrator would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{process.StartInfo.FileName} ran past {timeout}.\nstdout:\n{Output}\nstderr:\n{Errors}");
        }

        // The exit can be seen before the last redirected lines are read.
        process.WaitForExit();
    }

    /// <summary>Everything the program printed, for assertion messages.</summary>
    public override string ToString() => $"exit {(process.HasExited ? process.ExitCode : "(running)")}\nstdout:\n{Output}\nstderr:\n{Errors}";

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    private void OnLine(StringBuilder sink, string? line, bool awaitable)
    {
        if (line is null)
        {
            return;
        }

        lock (sink)
        {
            sink.Append(line).Append('\n');
            if (awaitable && awaited is { } waiting && waiting.Match(line))
            {
                waiting.Line.TrySetResult(line);
                awaited = null;
            }
        }
    }
}
