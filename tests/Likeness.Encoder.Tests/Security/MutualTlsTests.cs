using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Likeness.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Likeness.Encoder.Tests.Security;

/// <summary>
/// <c>Auth:RequireClientCertificate</c> on a real HTTPS endpoint: a client certificate issued by the configured authority
/// is let in, a missing one or one from another authority is refused in the TLS handshake.
/// </summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("likeness-mtls-");
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private X509Certificate2 authority = null!;
    private X509Certificate2 server = null!;
    private WebApplication app = null!;
    private Uri address = null!;

    public async Task InitializeAsync()
    {
        authority = Authority("CN=Likeness test authority");
        server = Issue(authority, "CN=127.0.0.1", serverAuth: true);
        File.WriteAllBytes(Path.Combine(folder.FullName, "server.pfx"), server.Export(X509ContentType.Pfx, "test"));
        File.WriteAllBytes(Path.Combine(folder.FullName, "authority.crt"), authority.Export(X509ContentType.Cert));
        app = EncoderApp.Create(
        [
            "--urls=https://127.0.0.1:0", "--BrowserUrl=", "--EncoderBrowserUrl=", "--Logging:LogLevel:Default=Warning", .. RunningHost.SeededIdentityModel,
            $"--Kestrel:Certificates:Default:Path={Path.Combine(folder.FullName, "server.pfx")}", "--Kestrel:Certificates:Default:Password=test",
            "--Auth:RequireClientCertificate=true", $"--Auth:ClientCertificateAuthority={Path.Combine(folder.FullName, "authority.crt")}",
        ]);
        await app.StartAsync();
        address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    [Fact]
    public async Task Call_WithACertificateFromTheAuthority_IsServed()
    {
        using var client = Issue(authority, "CN=likeness-client", serverAuth: false);

        var status = await CheckAsync(client);

        Assert.NotEqual(HealthCheckResponse.Types.ServingStatus.Unknown, status);
    }

    [Fact]
    public async Task Call_WithoutACertificate_IsRefused() =>
        await Assert.ThrowsAnyAsync<Exception>(() => CheckAsync(null));

    [Fact]
    public async Task Call_WithACertificateFromAnotherAuthority_IsRefused()
    {
        using var other = Authority("CN=Someone else's authority");
        using var client = Issue(other, "CN=intruder", serverAuth: false);

        await Assert.ThrowsAnyAsync<Exception>(() => CheckAsync(client));
    }

    private async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(X509Certificate2? client)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = client is null ? null : new X509CertificateCollection { client },
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == server.GetCertHashString(),
            },
        };
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });
        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "liveness" }, deadline: DateTime.UtcNow.AddSeconds(20));
        return response.Status;
    }

    private X509Certificate2 Authority(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }

    private X509Certificate2 Issue(X509Certificate2 issuer, string subject, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        using var issued = request.Create(issuer, now.AddHours(-1), now.AddHours(12), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        authority.Dispose();
        server.Dispose();
        folder.Delete(recursive: true);
    }
}
