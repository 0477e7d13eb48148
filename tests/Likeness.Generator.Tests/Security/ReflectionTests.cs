using Grpc.Core;
using Likeness.Testing;

namespace Likeness.Generator.Tests.Security;

/// <summary>Server reflection is a setting: served by default (to signed-in callers when authentication is on), or not at all.</summary>
public sealed class ReflectionTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);

    private static readonly Method<byte[], byte[]> ServerReflectionInfo =
        new(MethodType.DuplexStreaming, "grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", Raw, Raw);

    [Fact]
    public async Task Reflection_WithAuthentication_ServesSignedInCallersOnly()
    {
        Assert.Equal(StatusCode.OK, await ListServicesAsync(fixture.Host, Credentials.Bearer(fixture.BobKey)));
        Assert.Equal(StatusCode.Unauthenticated, await ListServicesAsync(fixture.Host, []));
    }

    [Fact]
    public async Task Reflection_TurnedOff_IsUnimplemented()
    {
        await using var host = await RunningHost.StartEncoderAsync("--Auth:AllowReflection=false");

        Assert.Equal(StatusCode.Unimplemented, await ListServicesAsync(host, []));
    }

    /// <summary>Sends one <c>list_services</c> request (field 7, empty) and returns the status the call ends with.</summary>
    private static async Task<StatusCode> ListServicesAsync(RunningHost host, Metadata headers)
    {
        using var call = host.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(ServerReflectionInfo, null, new CallOptions(headers));
        try
        {
            await call.RequestStream.WriteAsync([0x3a, 0x00]);
            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }

            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
