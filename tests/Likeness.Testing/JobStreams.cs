using Grpc.Core;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Testing;

/// <summary>Reading a generation's event stream to its end.</summary>
public static class JobStreams
{
    /// <summary>The stream's last event; the status that closes it (CANCELLED for an ended job) is expected.</summary>
    public static async Task<JobEvent> LastEventAsync(AsyncServerStreamingCall<JobEvent> call)
    {
        JobEvent? last = null;
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                last = call.ResponseStream.Current;
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
        }

        return last ?? throw new InvalidOperationException("The stream ended without an event.");
    }
}
