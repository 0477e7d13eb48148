using Grpc.Core;
using Likeness.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Likeness.Generator.Tests.Security;

/// <summary>
/// Both services in one process with authentication on (API keys and JWTs), a small Encodes quota, and every log line
/// (at Debug) captured; principals alice and bob, and ops with the admin role.
/// </summary>
public sealed class SecuredHostFixture : IAsyncLifetime
{
    public string AliceKey { get; } = Credentials.NewApiKey();

    public string BobKey { get; } = Credentials.NewApiKey();

    public string AdminKey { get; } = Credentials.NewApiKey();

    /// <summary>A principal kept for the quota test, so other tests do not spend its quota.</summary>
    public string ThriftyKey { get; } = Credentials.NewApiKey();

    /// <summary>Encodes per principal before the quota bites (the bucket's size); it refills at one a minute.</summary>
    public const int EncodeBurst = 3;

    public RunningHost Host { get; private set; } = null!;

    public LogCapture Logs { get; } = new();

    public string AliceIdentity { get; private set; } = "";

    public string KeysFile { get; private set; } = "";

    public async Task InitializeAsync()
    {
        KeysFile = Credentials.WriteApiKeysFile((AliceKey, "alice", ""), (BobKey, "bob", ""), (AdminKey, "ops", "admin,reader"), (ThriftyKey, "thrifty", ""));
        Host = await RunningHost.StartEmbeddedAsync(
            [.. RunningHost.SeededIdentityModel, .. RunningHost.TinyVideoModel, .. Credentials.JwtSettings,
             "--Auth:Mode=ApiKeys, Jwt", $"--Auth:ApiKeysFile={KeysFile}",
             "--Quotas:Encodes:PerMinute=1", $"--Quotas:Encodes:Burst={EncodeBurst}", "--Logging:LogLevel:Default=Debug"]);
        Host.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        var request = new Contracts.Identity.V1.EncodeIdentityRequest();
        request.References.Add(new Contracts.Common.V1.Image { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Face(31)) });
        AliceIdentity = (await Host.Client.EncodeIdentityAsync(request, Credentials.Bearer(AliceKey))).Identity.IdentityId;
    }

    public static Metadata As(string key) => Credentials.Bearer(key);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        File.Delete(KeysFile);
    }
}
