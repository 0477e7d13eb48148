using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Likeness.Testing.Faults;
using Spectre.Console;

namespace Likeness.Benchmarks;

/// <summary>
/// <c>faults</c>: many clients against a real Redis and the two service processes while Redis is killed, clients drop
/// mid-stream and the generator is SIGTERMed; prints the figures and exits 1 when a target is missed.
/// </summary>
internal static class FaultsCommand
{
    public static Command Create()
    {
        var defaults = new FaultSettings();
        var clients = new Option<int>("--clients") { Description = $"Client tasks (default {defaults.Clients}).", DefaultValueFactory = _ => defaults.Clients };
        var duration = Duration("--duration", "How long the clients drive load", defaults.Duration);
        var redisEvery = Duration("--redis-kill-every", "Period of the Redis SIGKILL, the first at a third of it; 0 never", defaults.RedisKillEvery);
        var redisDown = Duration("--redis-down", "How long Redis stays down", defaults.RedisDownFor);
        var persistence = new Option<bool>("--redis-persistence") { Description = "Run Redis with an append-only file fsynced on every write, so identities survive a kill (default: no persistence; they are lost and clients must see NOT_FOUND)." };
        var sigtermEvery = Duration("--sigterm-every", "Period of the generator's SIGTERM and restart, the first at two thirds of it; 0 never", defaults.SigtermEvery);
        var dropShare = new Option<double>("--drop-share") { Description = $"Share of generations whose client goes away after the first step (default {defaults.DropShare}).", DefaultValueFactory = _ => defaults.DropShare };
        var steps = new Option<int>("--steps") { Description = $"Denoising steps per generation, 4 frames of 32x32 on the tiny seeded model (default {defaults.Steps}).", DefaultValueFactory = _ => defaults.Steps };
        var seed = new Option<int>("--seed") { Description = "Seed of the clients' choices (default 1).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Folder for the run's log and summary (default out/faults/<time>).", DefaultValueFactory = _ => Path.Combine("out", "faults", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)) };
        clients.Validators.Add(r => Positive(r, r.GetValueOrDefault<int>()));
        steps.Validators.Add(r => Positive(r, r.GetValueOrDefault<int>()));
        dropShare.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 1)
            {
                r.AddError("--drop-share must be between 0 and 1.");
            }
        });

        var command = new Command("faults", "Encodes and generations from many clients while Redis is killed and restarted, clients drop mid-stream and the " +
            "generator is SIGTERMed; prints requests, errors by status, recovery time, corrupted tokens, jobs lost and RSS, and exits 1 when a target is missed.")
        {
            clients, duration, redisEvery, redisDown, persistence, sigtermEvery, dropShare, steps, seed, output,
        };
        command.SetAction(async (parse, interrupted) =>
        {
            var settings = new FaultSettings
            {
                Clients = parse.GetValue(clients),
                Duration = parse.GetValue(duration),
                RedisKillEvery = parse.GetValue(redisEvery),
                RedisDownFor = parse.GetValue(redisDown),
                RedisPersistence = parse.GetValue(persistence),
                SigtermEvery = parse.GetValue(sigtermEvery),
                DropShare = parse.GetValue(dropShare),
                Steps = parse.GetValue(steps),
                Seed = parse.GetValue(seed),
            };
            return await RunAsync(settings, parse.GetValue(output)!, interrupted);
        });
        return command;
    }

    /// <param name="interrupted">Ctrl-C or SIGTERM: the load ends early, then the services are stopped and the figures printed.</param>
    private static async Task<int> RunAsync(FaultSettings settings, string folder, CancellationToken interrupted)
    {
        Directory.CreateDirectory(folder);
        await using var logFile = new StreamWriter(Path.Combine(folder, "run.log")) { AutoFlush = true };
        var recent = new Queue<string>();
        var log = new LineWriter(line =>
        {
            logFile.WriteLine(line);
            lock (recent)
            {
                recent.Enqueue(line);
                while (recent.Count > 6)
                {
                    recent.Dequeue();
                }
            }

            if (Console.IsOutputRedirected)
            {
                Console.WriteLine(line);
            }
        });

        FaultReport report;
        if (Console.IsOutputRedirected)
        {
            var lastPrinted = TimeSpan.Zero;
            report = await FaultRun.RunAsync(settings, log, logFolder: folder, interrupted: interrupted, progress: (r, elapsed) =>
            {
                if (elapsed - lastPrinted >= TimeSpan.FromSeconds(60))
                {
                    lastPrinted = elapsed;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{elapsed.TotalSeconds,7:0} s  {r.Requests.Values.Sum()} requests, {r.Errors.Values.Sum()} errors, {r.JobsAccepted} jobs, {r.CorruptedTokens} corrupted, {r.JobsLost} lost"));
                }
            });
        }
        else
        {
            var live = new Table().AddColumns("figure", "value");
            report = null!;
            await AnsiConsole.Live(live).StartAsync(async context =>
            {
                report = await FaultRun.RunAsync(settings, log, logFolder: folder, interrupted: interrupted, progress: (r, elapsed) =>
                {
                    live.Rows.Clear();
                    live.AddRow("elapsed", $"{elapsed.TotalSeconds:0} of {settings.Duration.TotalSeconds:0} s");
                    foreach (var (figure, value, _) in r.Rows().Skip(1))
                    {
                        live.AddRow(Markup.Escape(figure), Markup.Escape(value));
                    }

                    lock (recent)
                    {
                        live.Caption = new TableTitle(Markup.Escape(string.Join('\n', recent)));
                    }

                    context.Refresh();
                });
            });
        }

        var table = new Table().AddColumns("figure", "value", "target");
        foreach (var (figure, value, target) in report.Rows())
        {
            table.AddRow(Markup.Escape(figure), Markup.Escape(value), Markup.Escape(target));
        }

        var missed = report.MissedTargets();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 160;
        }
        console.Write(table);
        foreach (var problem in report.Problems)
        {
            Console.WriteLine($"  {problem}");
        }

        Console.WriteLine(missed.Count == 0 ? "All targets met." : "Missed: " + string.Join("; ", missed));

        await using (var summary = new StreamWriter(Path.Combine(folder, "summary.txt")))
        {
            var plain = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(summary) });
            plain.Profile.Width = 200;
            plain.Write(table);
            foreach (var problem in report.Problems)
            {
                await summary.WriteLineAsync($"  {problem}");
            }

            await summary.WriteLineAsync(missed.Count == 0 ? "All targets met." : "Missed: " + string.Join("; ", missed));
        }

        Console.WriteLine($"Log and summary: {folder}");
        return missed.Count == 0 ? 0 : 1;
    }

    /// <summary>A duration option that takes 90s, 5m, 1h, or a TimeSpan (00:30:00).</summary>
    private static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description} (e.g. 90s, 5m, 1h; default {Format(defaultValue)}).",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a duration (90s, 5m, 1h, 00:30:00).");
            return default;
        },
    };

    private static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            switch (text[^1])
            {
                case 's':
                    value = TimeSpan.FromSeconds(n);
                    return true;
                case 'm':
                    value = TimeSpan.FromMinutes(n);
                    return true;
                case 'h':
                    value = TimeSpan.FromHours(n);
                    return true;
            }
        }

        if (text == "0")
        {
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    private static string Format(TimeSpan value) =>
        value.TotalSeconds < 60 ? $"{value.TotalSeconds:0}s" : value.TotalMinutes < 60 ? $"{value.TotalMinutes:0.#}m" : $"{value.TotalHours:0.#}h";

    private static void Positive(OptionResult result, int value)
    {
        if (value < 1)
        {
            result.AddError($"{result.Option.Name} must be at least 1.");
        }
    }

    /// <summary>Hands each line written to it to a callback.</summary>
    private sealed class LineWriter(Action<string> line) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                line(value ?? "");
            }
        }
    }
}
