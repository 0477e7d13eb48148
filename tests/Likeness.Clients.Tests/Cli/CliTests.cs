using System.Text.Json;
using System.Text.Json.Nodes;
using Likeness.Contracts.Generation.V1;
using Likeness.Testing;

namespace Likeness.Clients.Tests.Cli;

/// <summary>The <c>likeness</c> command line as a user runs it: a real process against the real services.</summary>
public sealed class CliTests(SeparateServices services) : IClassFixture<SeparateServices>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Encode_PrintsTheIdentityAndTheQualityReport_AndJsonForScripts()
    {
        var face = SeparateServices.FaceFile(1);

        using var human = await LikenessAsync("encode", face);
        using var json = await LikenessAsync("encode", face, "--json");

        Assert.True(human.ExitCode == 0, human.ToString());
        var identityId = human.Output.Split('\n')[0];
        Assert.Matches("^[0-9a-f]{32}$", identityId);
        Assert.Contains("1 face(s) (cast-subject)", human.Output, StringComparison.Ordinal);
        var document = JsonNode.Parse(json.Output)!;
        Assert.Equal(identityId, (string?)document["identity"]!["identityId"]);
        Assert.True((bool)document["cacheHit"]!);
        Assert.Single(document["quality"]!.AsArray());
    }

    [Fact]
    public async Task Encode_BadImage_ExitsRejectedNamingTheReference_AndAMissingFileToo()
    {
        var notAnImage = Path.GetTempFileName();
        await File.WriteAllTextAsync(notAnImage, "not an image");

        using var rejected = await LikenessAsync("encode", notAnImage);
        using var missing = await LikenessAsync("encode", "/nonexistent/face.png");
        using var misused = await LikenessAsync("encode");

        Assert.Equal(3, rejected.ExitCode);
        Assert.Contains("INVALID_ARGUMENT: references[0]", rejected.Errors, StringComparison.Ordinal);
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("/nonexistent/face.png", missing.Errors, StringComparison.Ordinal);
        Assert.Equal(2, misused.ExitCode);
    }

    [Theory]
    [InlineData("gif", "GIF89a")]
    [InlineData("mp4", "ftyp")]
    public async Task Generate_WritesFramesPreviewsTheClipAndTheReport(string clip, string signature)
    {
        var identity = await services.Encoder.EncodeFaceAsync(2);
        var output = Path.Combine(Path.GetTempPath(), $"likeness-cli-{Guid.NewGuid():N}");

        using var run = await LikenessAsync("generate", "--identity", identity, "--prompt", "a character smiles", "--frames", "4",
            "--steps", "4", "--preview-every", "2", "--seed", "11", "--out", output, "--clip", clip);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(4, Directory.GetFiles(Path.Combine(output, "frames"), "frame-*.png").Length);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(output, "previews"), "step-*.png").Length);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")))!;
        Assert.Equal("11", (string?)report["seed"]);
        Assert.Equal(identity, (string?)report["report"]!["characters"]![0]!["identityId"]);
        var header = (await File.ReadAllBytesAsync(Path.Combine(output, $"clip.{clip}")))[..12];
        Assert.Contains(signature, System.Text.Encoding.ASCII.GetString(header), StringComparison.Ordinal);
        Assert.Contains("step 4/4", run.Errors, StringComparison.Ordinal);
        Assert.Contains($"Clip:     {Path.Combine(output, $"clip.{clip}")}", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_WithoutFfmpeg_FallsBackToAGif()
    {
        var identity = await services.Encoder.EncodeFaceAsync(2);
        var output = Path.Combine(Path.GetTempPath(), $"likeness-cli-{Guid.NewGuid():N}");
        var nothingOnPath = Directory.CreateTempSubdirectory("likeness-empty-path-").FullName;

        using var run = await ChildProcess.RunAsync("dotnet", [Cli, "generate", "--identity", identity, "--frames", "4", "--steps", "2", "--out", output, .. Where],
            Patience, new Dictionary<string, string> { ["PATH"] = nothingOnPath });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(output, "clip.gif")), run.ToString());
        Assert.False(File.Exists(Path.Combine(output, "clip.mp4")));
    }

    [Fact]
    public async Task Generate_Json_PrintsOneEventPerLine_WithFilesInsteadOfBytes()
    {
        var identity = await services.Encoder.EncodeFaceAsync(3);

        using var run = await LikenessAsync("generate", "--identity", identity, "--frames", "4", "--steps", "2", "--json",
            "--out", Path.Combine(Path.GetTempPath(), $"likeness-cli-{Guid.NewGuid():N}"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var events = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => $"{i}"), events.Select(e => (string?)e["sequence"]));
        var frames = events.Where(e => e["frame"] is not null).ToList();
        Assert.Equal(4, frames.Count);
        Assert.All(frames, frame => Assert.Equal("", (string?)frame["frame"]!["image"]!["data"]));
        Assert.All(frames, frame => Assert.True(File.Exists((string?)frame["files"]![0])));
        Assert.NotNull(events[^1]["completed"]);
        Assert.Equal("", run.Errors);
    }

    [Theory]
    [InlineData(4, "NOT_FOUND", "--identity", "00000000000000000000000000000000")]
    [InlineData(3, "characters[0].identity_strength", "--identity", "00000000000000000000000000000000", "--strength", "3")]
    [InlineData(2, "--steps must be", "--identity", "00000000000000000000000000000000", "--steps", "many")]
    public async Task Generate_BadInput_ExitsWithAMeaningfulCode(int exitCode, string message, params string[] options)
    {
        using var run = await LikenessAsync(["generate", .. options]);

        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Contains(message, run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_Seconds_CountsChunksAndFrames_AndWritesTheWholeClipAndItsChunkFigures()
    {
        var identity = await services.Encoder.EncodeFaceAsync(2);
        var output = Path.Combine(Path.GetTempPath(), $"likeness-cli-{Guid.NewGuid():N}");

        using var run = await LikenessAsync("generate", "--identity", identity, "--seconds", "3", "--steps", "2", "--preview-every", "2", "--size", "32", "--out", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(24, Directory.GetFiles(Path.Combine(output, "frames"), "frame-*.png").Length);
        Assert.Equal(["chunk-000-step-002.png", "chunk-001-step-002.png"], Directory.GetFiles(Path.Combine(output, "previews")).Select(Path.GetFileName).Order());
        Assert.Contains("in 2 chunks, 1 shot(s)", run.Errors, StringComparison.Ordinal);
        Assert.Contains("chunk 2/2  frames 16/24  step 2/2", run.Errors, StringComparison.Ordinal);
        Assert.Matches(@"Seams:    change \d\.\d{4} across seams", run.Output);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")))!["report"]!;
        Assert.Equal(2, report["chunks"]!.AsArray().Count);
        Assert.Equal(2, report["characters"]![0]!["chunks"]!.AsArray().Count);
        Assert.NotNull(report["characters"]![0]!["chunks"]![1]!["faceSim"]);
    }

    [Fact]
    public async Task Generate_ShotsFromYaml_CastIsTheShotsIdentities_AndACharacterReturnsAfterAShotAway()
    {
        var (alice, bob) = (await services.Encoder.EncodeFaceAsync(2), await services.Encoder.EncodeFaceAsync(3));
        var shots = Path.Combine(Path.GetTempPath(), $"likeness-shots-{Guid.NewGuid():N}.yaml");
        var example = await File.ReadAllTextAsync(Repository.PathOf(Path.Combine("docs", "examples", "shots.yaml")));
        await File.WriteAllTextAsync(shots, example.Replace("MIRA", alice, StringComparison.Ordinal).Replace("TEO", bob, StringComparison.Ordinal));
        var output = Path.Combine(Path.GetTempPath(), $"likeness-cli-{Guid.NewGuid():N}");

        using var run = await LikenessAsync("generate", "--shots", shots, "--steps", "2", "--size", "32", "--out", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(64, Directory.GetFiles(Path.Combine(output, "frames"), "frame-*.png").Length);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")))!["report"]!;
        var mira = report["characters"]!.AsArray().Single(c => (string?)c!["identityId"] == alice)!;
        Assert.Equal([0, 3], mira["shots"]!.AsArray().Select(s => (int?)s!["index"] ?? 0));
        Assert.Equal([0, 2], mira["shots"]!.AsArray().Select(s => (int?)s!["shotsAway"] ?? 0));
    }

    [Theory]
    [InlineData("{\"shots\": []}", "has no shots")]
    [InlineData("{\"shots\": [{\"seconds\": 1, \"camera\": \"left\"}]}", "camera")]
    [InlineData("not json", "--shots")]
    public async Task Generate_BadShotList_ExitsMisusedNamingTheProblem(string text, string message)
    {
        var shots = Path.Combine(Path.GetTempPath(), $"likeness-shots-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(shots, text);

        using var run = await LikenessAsync("generate", "--identity", "00000000000000000000000000000000", "--shots", shots);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extend_AFolderOfFrames_ContinuesTheClip()
    {
        var identity = await services.Encoder.EncodeFaceAsync(2);
        var first = Path.Combine(Path.GetTempPath(), $"likeness-cli-{Guid.NewGuid():N}");
        using var made = await LikenessAsync("generate", "--identity", identity, "--frames", "4", "--steps", "2", "--size", "32", "--out", first);
        var output = Path.Combine(Path.GetTempPath(), $"likeness-cli-{Guid.NewGuid():N}");

        using var run = await LikenessAsync("extend", Path.Combine(first, "frames"), "--identity", identity, "--seconds", "1", "--steps", "2", "--size", "32", "--out", output);

        Assert.True(made.ExitCode == 0 && run.ExitCode == 0, made + run.ToString());
        Assert.Equal(8, Directory.GetFiles(Path.Combine(output, "frames"), "frame-*.png").Length);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")))!["report"]!;
        Assert.True((double?)report["chunks"]![0]!["seamChange"] > 0, "the first chunk continues the given frames");
    }

    [Fact]
    public async Task Describe_WithoutToken_ExitsNotAllowed_SayingUnauthenticated_AndLikenessTokenSignsIn()
    {
        string[] where = ["--encoder", services.Encoder.Address.ToString(), "--generator", services.Generator.Address.ToString()];

        using var anonymous = await ChildProcess.RunAsync("dotnet", [Cli, "describe", .. where], Patience,
            new Dictionary<string, string> { ["LIKENESS_TOKEN"] = "" });
        using var refused = await ChildProcess.RunAsync("dotnet", [Cli, "describe", "--token", Credentials.NewApiKey(), .. where], Patience);
        using var signedIn = await ChildProcess.RunAsync("dotnet", [Cli, "describe", .. where], Patience,
            new Dictionary<string, string> { ["LIKENESS_TOKEN"] = services.Token });

        Assert.True(anonymous.ExitCode == 7, anonymous.ToString());
        Assert.Contains("UNAUTHENTICATED: No credential", anonymous.Errors, StringComparison.Ordinal);
        Assert.True(refused.ExitCode == 7, refused.ToString());
        Assert.Contains("API key is not recognised", refused.Errors, StringComparison.Ordinal);
        Assert.True(signedIn.ExitCode == 0, signedIn.ToString());
    }

    [Fact]
    public async Task Server_OnTheCommandLine_BeatsExportedServiceAddresses()
    {
        // LIKENESS_ENCODER and LIKENESS_GENERATOR left over from another session point at nothing; --server must win.
        var nothing = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        using var run = await ChildProcess.RunAsync("dotnet", [Cli, "describe", "--server", services.Generator.Address.ToString(), "--token", services.Token], Patience,
            new Dictionary<string, string> { ["LIKENESS_ENCODER"] = nothing, ["LIKENESS_GENERATOR"] = nothing });

        // The separate generator serves no IdentityEncoder: reaching it for both is UNIMPLEMENTED, never the exported address.
        Assert.DoesNotContain(nothing, run.Output + run.Errors, StringComparison.Ordinal);
        Assert.Contains("UNIMPLEMENTED", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsEveryExitCodeTheClientsPageTables()
    {
        using var help = await ChildProcess.RunAsync("dotnet", [Cli, "--help"], Patience);
        var page = await File.ReadAllTextAsync(Repository.PathOf("docs/clients.md")); // the exit-code table under "Exit codes"
        var codes = System.Text.RegularExpressions.Regex.Matches(page, @"^\| (\d+) \| ", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("7", codes);
        Assert.All(codes, code => Assert.Matches($@"\b{code} [a-zA-Z]", help.Output));
    }

    [Fact]
    public async Task Watch_AnotherPrincipalsJob_ExitsNotAllowed_SayingPermissionDenied()
    {
        var identity = await services.Encoder.EncodeFaceAsync(5);
        using var call = services.Generator.Generator.Generate(new GenerateRequest
        {
            Prompt = "a character waves",
            Characters = { new Character { IdentityId = identity } },
            NumFrames = 4,
            Steps = 2,
        });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var jobId = call.ResponseStream.Current.JobId;

        using var watch = await ChildProcess.RunAsync("dotnet",
            [Cli, "watch", jobId, "--encoder", services.Encoder.Address.ToString(), "--generator", services.Generator.Address.ToString(), "--token", services.OtherToken],
            Patience);

        Assert.True(watch.ExitCode == 7, watch.ToString());
        Assert.Contains("PERMISSION_DENIED", watch.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ServiceNotRunning_ExitsTryAgainLater()
    {
        using var run = await ChildProcess.RunAsync("dotnet", [Cli, "describe", "--server", $"http://127.0.0.1:{LoopbackPorts.Free()}"], Patience);

        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.Contains("UNAVAILABLE", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_CtrlC_CancelsTheJobOnTheServer_AndExits130()
    {
        var identity = await services.Encoder.EncodeFaceAsync(4);
        using var run = ChildProcess.Start("dotnet", [Cli, "generate", "--identity", identity, "--size", "64", "--frames", "16",
            "--steps", "100", "--json", "--out", Path.Combine(Path.GetTempPath(), $"likeness-cli-{Guid.NewGuid():N}"), .. Where]);
        var step = JsonNode.Parse(await run.WaitForLineAsync(line => line.Contains("\"step\":{", StringComparison.Ordinal), Patience))!;
        var jobId = (string)step["jobId"]!;

        await run.SignalAsync("INT");
        await run.WaitForExitAsync(Patience);

        Assert.True(run.ExitCode == 130, run.ToString());
        var job = await services.Generator.Generator.GetJobAsync(new GetJobRequest { JobId = jobId });
        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Contains($"job {jobId} is cancelled on the server", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_AttachesToAJobStartedElsewhere_AndFollowsItToTheEnd()
    {
        var identity = await services.Encoder.EncodeFaceAsync(5);
        var request = new GenerateRequest { NumFrames = 4, Steps = 30, Preview = new PreviewOptions { EveryNSteps = 10 } };
        request.Characters.Add(new Character { IdentityId = identity });
        using var owner = services.Generator.Generator.Generate(request);
        Assert.True(await owner.ResponseStream.MoveNext(CancellationToken.None));
        var jobId = owner.ResponseStream.Current.JobId;
        var output = Path.Combine(Path.GetTempPath(), $"likeness-cli-{Guid.NewGuid():N}");

        using var watch = await LikenessAsync("watch", jobId, "--out", output, "--clip", "gif");
        using var described = await LikenessAsync("describe", jobId);

        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Equal(4, Directory.GetFiles(Path.Combine(output, "frames")).Length);
        Assert.True(File.Exists(Path.Combine(output, "clip.gif")));
        Assert.Contains($"Completed {jobId}", watch.Output, StringComparison.Ordinal);
        Assert.Contains($"{jobId} completed", described.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAndDelete_ShowTheServicesAndAnIdentity_ThenRemoveIt()
    {
        var identity = await services.Encoder.EncodeFaceAsync(6);

        using var servicesShown = await LikenessAsync("describe");
        using var shown = await LikenessAsync("describe", identity, "--json");
        using var deleted = await LikenessAsync("delete", identity);
        using var gone = await LikenessAsync("describe", identity);

        Assert.True(servicesShown.ExitCode == 0, servicesShown.ToString());
        Assert.Contains("UNTRAINED", servicesShown.Output, StringComparison.Ordinal);
        Assert.Contains("sizes 32×32, 64×64", servicesShown.Output, StringComparison.Ordinal);
        Assert.Equal(identity, JsonDocument.Parse(shown.Output).RootElement.GetProperty("identityId").GetString());
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(4, gone.ExitCode);
    }

    private static string Cli => LikenessCli.Dll;

    private string[] Where => LikenessCli.Where(services);

    private Task<ChildProcess> LikenessAsync(params string[] args) => LikenessCli.RunAsync(services, Patience, args);
}
