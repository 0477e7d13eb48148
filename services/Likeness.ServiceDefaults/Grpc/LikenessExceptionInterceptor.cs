using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Likeness.Core.Errors;

namespace Likeness.ServiceDefaults.Grpc;

/// <summary>
/// Turns domain failures into precise gRPC statuses, with a <c>google.rpc.BadRequest</c> naming the field
/// for INVALID_ARGUMENT, so handlers stay free of try/catch and clients in every language can read the field.
/// </summary>
public sealed class LikenessExceptionInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (LikenessException e)
        {
            throw ToRpcException(e);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (LikenessException e)
        {
            throw ToRpcException(e);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (LikenessException e)
        {
            throw ToRpcException(e);
        }
    }

    public static RpcException ToRpcException(LikenessException e)
    {
        var status = new Google.Rpc.Status { Code = (int)ToStatusCode(e.Kind), Message = e.Message };
        if (e.Field is { } field)
        {
            status.Details.Add(Any.Pack(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = e.Message } },
            }));
        }

        return status.ToRpcException();
    }

    public static StatusCode ToStatusCode(LikenessErrorKind kind) => kind switch
    {
        LikenessErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        LikenessErrorKind.NotFound => StatusCode.NotFound,
        LikenessErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        LikenessErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        LikenessErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        LikenessErrorKind.Unavailable => StatusCode.Unavailable,
        LikenessErrorKind.DataLoss => StatusCode.DataLoss,
        LikenessErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        _ => StatusCode.Internal,
    };
}
