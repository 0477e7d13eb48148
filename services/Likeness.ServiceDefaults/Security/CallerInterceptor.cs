using Grpc.Core;
using Grpc.Core.Interceptors;
using Likeness.Core.Callers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Likeness.ServiceDefaults.Security;

/// <summary>
/// Admits each call: with authentication on, a call without a valid credential is UNAUTHENTICATED (saying what was
/// wrong) unless its endpoint allows anonymous callers (health); the caller is recorded for the handler
/// (<see cref="CallerContext.GetCaller"/>) and its quota, if the method has one, is charged.
/// </summary>
public sealed class CallerInterceptor(IOptions<AuthOptions> options, CallerQuotas quotas, ILogger<CallerInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    private async Task AdmitAsync(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var auth = options.Value;
        var caller = Caller.Anonymous;
        if (auth.Mode != AuthMode.None)
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                return;
            }

            var result = await http.AuthenticateAsync();
            if (result.Principal?.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } principal })
            {
                var reason = result.Failure is { } failure
                    ? $"The credential was refused: {Describe(failure)}."
                    : result.Succeeded
                        ? "The credential names no principal."
                        : "No credential: send the metadata 'authorization: Bearer <token>' (an API key or a JWT).";
                SecurityLog.Unauthenticated(logger, context.Method, reason);
                throw new RpcException(new Status(StatusCode.Unauthenticated, reason));
            }

            http.User = result.Principal;
            caller = new Caller(principal, result.Principal.IsInRole(auth.AdminRole));
        }

        http.Features.Set(caller);
        quotas.Acquire(context.Method, caller);
    }

    /// <summary>What was wrong with a refused credential, in words, without repeating any part of it.</summary>
    private static string Describe(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token is not signed by any configured key",
        SecurityTokenInvalidIssuerException => "the token's issuer is not accepted",
        SecurityTokenInvalidAudienceException => "the token's audience is not this service",
        SecurityTokenNoExpirationException => "the token has no expiry",
        SecurityTokenMalformedException or ArgumentException => "the token is not a well-formed JWT",
        SecurityTokenException => "the token is not valid",
        _ => failure.Message,
    };
}
