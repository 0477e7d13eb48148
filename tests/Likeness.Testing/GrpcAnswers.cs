using Grpc.Core;

namespace Likeness.Testing;

/// <summary>What a gRPC call answered, as a status, for tests that accept several answers.</summary>
public static class GrpcAnswers
{
    /// <summary>OK when <paramref name="call"/> succeeds, else the status it failed with.</summary>
    public static async Task<Status> StatusOfAsync<T>(Task<T> call)
    {
        try
        {
            await call;
            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}
