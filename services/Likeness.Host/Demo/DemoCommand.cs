using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Client;
using Likeness.Client.Jobs;
using Likeness.Media;
using Likeness.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using GeneratorClient = Likeness.Contracts.Generation.V1.Generator.GeneratorClient;

namespace Likeness.Host.Demo;

/// <summary>
/// The one-command demo: starts the embedded host on a free loopback port, encodes the bundled references of two
/// characters over gRPC, generates a clip with each kept to its side of the frame, and follows it as the command line
/// does: the frames, previews, an animated GIF and the consistency report; then a clip of three shots (each character
/// alone, then both) the same way, into <c>shots/</c>.
/// </summary>
internal static class DemoCommand
{
    private const string Usage = """
        Usage: dotnet run --project services/Likeness.Host [-- [--out DIR] [--frames N] [--steps N] [--seed N]]
               dotnet run --project services/Likeness.Host -- serve [--urls http://127.0.0.1:5000]

        Without arguments: the demo (both services in this process, in-memory token store).
        serve: both services on one port until stopped.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = DemoSettings.Parse(args);
        if (settings is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        await using var app = EmbeddedApp.Create(["--urls=http://127.0.0.1:0", $"--{ServiceDefaultsExtensions.BrowserUrlKey}=", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 });
        await WaitUntilServingAsync(new Health.HealthClient(channel));

        var encoder = new IdentityEncoder.IdentityEncoderClient(channel);
        var generator = new GeneratorClient(channel);
        var model = await generator.DescribeModelAsync(new DescribeModelRequest());
        Console.WriteLine($"Likeness demo — video model {model.Model.ModelId}, identity model {model.IdentityModelId}, on {model.Device}");
        if (model.Model.Untrained)
        {
            Console.WriteLine("Note: the models are UNTRAINED (seeded initialisation). The pipeline is real; the pictures are not yet.");
        }

        var mira = await EncodeAsync(encoder, "Mira", "mira-*.png");
        var teo = await EncodeAsync(encoder, "Teo", "teo-*.png");

        var request = new GenerateRequest
        {
            Prompt = "two characters, one talks and one smiles",
            NumFrames = (uint)settings.Frames,
            Steps = (uint)settings.Steps,
            Seed = settings.Seed,
            Preview = new PreviewOptions { EveryNSteps = (uint)Math.Max(1, settings.Steps / 4), MaxSide = 128, Format = PreviewFormat.ContactSheet },
            Characters =
            {
                Walking(mira, from: 0.08f, to: 0.14f),
                Walking(teo, from: 0.64f, to: 0.58f),
            },
        };

        // The same follower as `likeness generate`: progress display, frames, previews, the clip and the report.
        var follower = new JobFollower(new Output(json: false), settings.Output, ClipKind.Gif)
        {
            Names = new Dictionary<string, string> { [mira] = "Mira", [teo] = "Teo" },
        };
        using (var call = generator.Generate(request))
        {
            await follower.FollowAsync(call.ResponseStream, CancellationToken.None);
        }

        // Then a clip of three shots, cut from one to the next: each character alone, then both. The identities, kept
        // outside the video, come back after every cut; the long clip is made in chunks (docs/long-video.md).
        Console.WriteLine();
        Console.WriteLine("Three shots: Mira alone, Teo alone, then both");
        var shots = new GenerateRequest
        {
            Steps = (uint)settings.Steps,
            Seed = settings.Seed,
            Preview = new PreviewOptions { EveryNSteps = (uint)Math.Max(1, settings.Steps / 2), MaxSide = 128, Format = PreviewFormat.ContactSheet },
            Characters = { new Character { IdentityId = mira }, new Character { IdentityId = teo } },
            Shots =
            {
                Shot("a character smiles", mira),
                Shot("a character talks", teo),
                Shot("two characters, one talks and one smiles", mira, teo),
            },
        };
        var shotFollower = new JobFollower(new Output(json: false), Path.Combine(settings.Output, "shots"), ClipKind.Gif) { Names = follower.Names };
        using (var call = generator.Generate(shots))
        {
            await shotFollower.FollowAsync(call.ResponseStream, CancellationToken.None);
        }

        await app.StopAsync();
        return follower.State == JobState.Completed && shotFollower.State == JobState.Completed ? 0 : 1;
    }

    /// <summary>A shot of two seconds with the characters framed by default.</summary>
    private static Shot Shot(string prompt, params string[] identities)
    {
        var shot = new Shot { Prompt = prompt, Seconds = 2 };
        shot.Characters.Add(identities.Select(id => new Character { IdentityId = id }));
        return shot;
    }

    private static Character Walking(string identityId, float from, float to) => new()
    {
        IdentityId = identityId,
        Region = new Region
        {
            Keyframes =
            {
                new RegionKeyframe { Time = 0, Box = new Box { X = from, Y = 0.33f, Width = 0.26f, Height = 0.34f } },
                new RegionKeyframe { Time = 1, Box = new Box { X = to, Y = 0.33f, Width = 0.26f, Height = 0.34f } },
            },
        },
    };

    private static async Task<string> EncodeAsync(IdentityEncoder.IdentityEncoderClient encoder, string name, string pattern)
    {
        var request = new EncodeIdentityRequest();
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "DemoReferences"), pattern).Order().ToList();
        foreach (var file in files)
        {
            request.References.Add(new Image { Data = ByteString.CopyFrom(await File.ReadAllBytesAsync(file)) });
        }

        var response = await encoder.EncodeIdentityAsync(request);
        Console.WriteLine($"Encoded {name} from {files.Count} references: identity {response.Identity.IdentityId}");
        foreach (var warning in response.Quality.SelectMany(q => q.Warnings.Select(w => (q.Index, w.Message))))
        {
            Console.WriteLine($"  reference {warning.Index}: {warning.Message}");
        }

        return response.Identity.IdentityId;
    }

    private static async Task WaitUntilServingAsync(Health.HealthClient health)
    {
        for (var i = 0; i < 600; i++)
        {
            if ((await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The embedded host did not become ready within 60 s.");
    }
}
