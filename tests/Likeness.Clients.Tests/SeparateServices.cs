using Likeness.Testing;

namespace Likeness.Clients.Tests;

/// <summary>
/// The encoder and the generator as separate services sharing a real redis-server, as clients meet them in production;
/// the generator also serves browsers (gRPC-Web and the preview page) on a free loopback port, and the encoder its own
/// browser endpoint (gRPC-Web with CORS) on another, where the generator's preview page encodes reference photos. Both
/// demand an API key (<see cref="Token"/>, principal <c>client-tests</c>), so every client here is exercised signing in.
/// </summary>
public sealed class SeparateServices : IAsyncLifetime
{
    private RedisServer? redis;

    private string keysFile = "";

    /// <summary>The API key every client here sends; <see cref="OtherToken"/> is another principal's.</summary>
    public string Token { get; } = Credentials.NewApiKey();

    public string OtherToken { get; } = Credentials.NewApiKey();

    public RunningHost Encoder { get; private set; } = null!;

    public RunningHost Generator { get; private set; } = null!;

    /// <summary>host:port of each service, as clients in other languages take them.</summary>
    public string EncoderTarget => Encoder.Address.Authority;

    public string GeneratorTarget => Generator.Address.Authority;

    public async Task InitializeAsync()
    {
        redis = new RedisServer();
        keysFile = Credentials.WriteApiKeysFile((Token, "client-tests", ""), (OtherToken, "someone-else", ""));
        var store = $"--Redis:Configuration={redis.Configuration}";
        string[] auth = ["--Auth:Mode=ApiKeys", $"--Auth:ApiKeysFile={keysFile}"];
        // The page is served by the generator but encodes at the encoder: another origin, as in production.
        var encoderBrowserUrl = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var pageOrigin = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        Encoder = await RunningHost.StartEncoderAsync([store, .. auth, $"--EncoderBrowserUrl={encoderBrowserUrl}", $"--EncoderBrowserOrigins={pageOrigin}"]);
        // Jobs of up to 1000 steps, so one cancelled from the preview page outlasts its mid-run screenshot on a slow machine.
        Generator = await RunningHost.StartGeneratorAsync(
            [store, .. auth, $"--BrowserUrl={pageOrigin}", $"--PreviewPage:EncoderUrl={encoderBrowserUrl}", "--Generator:MaxSteps=1000"]);
        Encoder.Token = Generator.Token = Token;
    }

    public async Task DisposeAsync()
    {
        await Generator.DisposeAsync();
        await Encoder.DisposeAsync();
        await redis!.DisposeAsync();
        File.Delete(keysFile);
    }

    /// <summary>A reference photo written to a file, as a user would have it.</summary>
    public static string FaceFile(int face)
    {
        var path = Path.Combine(Path.GetTempPath(), $"likeness-face-{face}-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, TestImages.Face(face));
        return path;
    }
}
