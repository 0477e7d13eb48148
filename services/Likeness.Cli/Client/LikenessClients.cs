using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Likeness.Contracts.Identity.V1;
using GeneratorClient = Likeness.Contracts.Generation.V1.Generator.GeneratorClient;

namespace Likeness.Cli.Client;

/// <summary>gRPC clients of both services, over one channel when they share an address.</summary>
internal sealed class LikenessClients : IDisposable
{
    /// <summary>Frames and previews come in messages of up to the servers' 4 MiB send limit; a little room on top.</summary>
    private const int MaxReceiveBytes = 8 * 1024 * 1024;

    private readonly GrpcChannel encoderChannel;
    private readonly GrpcChannel generatorChannel;

    /// <param name="token">A bearer token sent with every call as <c>authorization: Bearer TOKEN</c>; null sends none.</param>
    public LikenessClients(ServiceAddresses addresses, string? token = null)
    {
        Addresses = addresses;
        encoderChannel = Open(addresses.Encoder);
        generatorChannel = addresses.Generator == addresses.Encoder ? encoderChannel : Open(addresses.Generator);
        Encoder = new IdentityEncoder.IdentityEncoderClient(WithToken(encoderChannel, token));
        Generator = new GeneratorClient(WithToken(generatorChannel, token));
    }

    public ServiceAddresses Addresses { get; }

    public IdentityEncoder.IdentityEncoderClient Encoder { get; }

    public GeneratorClient Generator { get; }

    public void Dispose()
    {
        encoderChannel.Dispose();
        generatorChannel.Dispose();
    }

    /// <summary>
    /// Metadata rather than call credentials: gRPC refuses call credentials on cleartext channels, and the services speak
    /// cleartext HTTP/2 inside a cluster or on loopback.
    /// </summary>
    private static CallInvoker WithToken(GrpcChannel channel, string? token) => token is null
        ? channel.CreateCallInvoker()
        : channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        });

    private static GrpcChannel Open(Uri address) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = MaxReceiveBytes });
}
