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

    public LikenessClients(ServiceAddresses addresses)
    {
        Addresses = addresses;
        encoderChannel = Open(addresses.Encoder);
        generatorChannel = addresses.Generator == addresses.Encoder ? encoderChannel : Open(addresses.Generator);
        Encoder = new IdentityEncoder.IdentityEncoderClient(encoderChannel);
        Generator = new GeneratorClient(generatorChannel);
    }

    public ServiceAddresses Addresses { get; }

    public IdentityEncoder.IdentityEncoderClient Encoder { get; }

    public GeneratorClient Generator { get; }

    public void Dispose()
    {
        encoderChannel.Dispose();
        generatorChannel.Dispose();
    }

    private static GrpcChannel Open(Uri address) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = MaxReceiveBytes });
}
