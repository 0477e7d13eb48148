using Grpc.Core;
using Likeness.Core.Callers;

namespace Likeness.ServiceDefaults.Security;

/// <summary>The caller of a gRPC call, as <see cref="CallerInterceptor"/> admitted it.</summary>
public static class CallerContext
{
    /// <summary>The admitted caller; <see cref="Caller.Anonymous"/> without authentication.</summary>
    public static Caller GetCaller(this ServerCallContext context) => context.GetHttpContext().Features.Get<Caller>() ?? Caller.Anonymous;
}
