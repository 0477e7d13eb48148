using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Likeness.Testing;

namespace Likeness.Clients.Tests.Quickstart;

/// <summary>
/// The README's quickstart block, run as written by bash from the repository root: build, Redis and both services as
/// separate processes, then the <c>likeness</c> commands with their defaults. Only the ports change (free ones, so the
/// run never meets another server). A README change that breaks a command breaks this test, and the clip it makes is
/// checked for the character, not only for an exit code.
/// </summary>
public sealed partial class QuickstartTests
{
    /// <summary>
    /// FaceSim of Mira in the quickstart's clip, by the service's own report, must reach this. The demo's clip (Mira in a
    /// region she walks along) scores 0.6 and a clip at strength 0 about 0; the quickstart's default framing measured
    /// 0.8 to 0.9 over seeds.
    /// </summary>
    private const double FaceSimFloor = 0.5;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task ReadmeQuickstart_AsWritten_DrawsMira_AndDiffersFromStrengthZero()
    {
        var ports = new Dictionary<string, string>
        {
            ["6379"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["5001"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["5002"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["5081"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["5082"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var block = ports.Aggregate(QuickstartBlock(), (text, port) => text.Replace(port.Key, port.Value, StringComparison.Ordinal));
        Assert.All(ports.Values, port => Assert.Contains(port, block, StringComparison.Ordinal)); // the block still names every service

        var strengthZero = $"out/quickstart-strength0-{Guid.NewGuid():N}";
        // As a terminal runs it (no -e, no pipefail), each job in its own process group so the services can be stopped;
        // then the same seed at strength 0, for comparison.
        var script = $$"""
            set -m
            trap 'for job in $(jobs -p); do kill -- -$job 2>/dev/null; done; wait' EXIT
            {{block}}
            SEED=$(sed -n 's/^  "seed": "\([0-9]*\)",/\1/p' "out/$JOB/report.json")
            likeness generate --identity "$MIRA" --prompt "a character smiles" --seed "$SEED" --strength 0 --out {{strengthZero}} > /dev/null
            echo "QUICKSTART identity=$MIRA job=$JOB seed=$SEED"
            """;
        using var run = await ChildProcess.RunAsync("bash", ["-c", script], Patience);

        var summary = QuickstartLine().Match(run.Output);
        Assert.True(summary.Success, run.ToString());
        var (identity, job) = (summary.Groups["identity"].Value, summary.Groups["job"].Value);
        var jobFolder = Repository.PathOf(Path.Combine("out", job));
        try
        {
            Assert.Contains($"Generator http://127.0.0.1:{ports["5002"]}", run.Output, StringComparison.Ordinal); // describe
            Assert.Contains($"{identity}\n  model likeness-identity-", run.Output, StringComparison.Ordinal); // describe "$MIRA"
            Assert.True(Regex.Count(run.Output + run.Errors, $"Completed {job} ") == 2, run.ToString()); // generate (shown through tee on stderr), then watch
            var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(jobFolder, "report.json")))!;
            var mira = report["report"]!["characters"]![0]!;
            Assert.True((double)mira["meanSimilarity"]! >= FaceSimFloor, $"Mira's FaceSim is {mira["meanSimilarity"]}, below {FaceSimFloor}\n{run}");
            Assert.True((bool?)mira["defaultRegion"] ?? false, "the quickstart gives no region: the default framing is used");
            Assert.Contains("strength 0.8, region 0.275,0.2,0.45,0.6 (default framing)", run.Errors, StringComparison.Ordinal);
            var frames = Directory.GetFiles(Path.Combine(jobFolder, "frames")).Order().Select(File.ReadAllBytes).ToList();
            var atZero = Directory.GetFiles(Repository.PathOf(Path.Combine(strengthZero, "frames"))).Order().Select(File.ReadAllBytes).ToList();
            Assert.Equal(8, frames.Count);
            Assert.Equal(frames.Count, atZero.Count);
            Assert.Contains(frames.Zip(atZero), pair => !pair.First.AsSpan().SequenceEqual(pair.Second));
        }
        finally
        {
            Directory.Delete(jobFolder, recursive: true);
            Directory.Delete(Repository.PathOf(strengthZero), recursive: true);
        }
    }

    /// <summary>The fenced block after the README's <c>quickstart:</c> marker.</summary>
    private static string QuickstartBlock()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        var marker = readme.IndexOf("<!-- quickstart:", StringComparison.Ordinal);
        Assert.True(marker >= 0, "README.md has lost its quickstart marker");
        var open = readme.IndexOf("```sh\n", marker, StringComparison.Ordinal) + "```sh\n".Length;
        return readme[open..readme.IndexOf("```", open, StringComparison.Ordinal)];
    }

    [GeneratedRegex(@"QUICKSTART identity=(?<identity>[0-9a-f]{32}) job=(?<job>job_[0-9a-f]+) seed=\d+")]
    private static partial Regex QuickstartLine();
}
