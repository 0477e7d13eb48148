using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Likeness.Core.Callers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.ServiceDefaults.Security;

/// <summary>
/// Per-principal rate limits on the methods registered with <see cref="SecurityExtensions.AddCallerQuota"/>: one
/// partitioned token bucket per quota, one partition per principal. Anonymous callers (no authentication) are not limited.
/// </summary>
public sealed class CallerQuotas(IOptions<CallerQuotaMethods> methods, IOptionsMonitor<QuotaLimit> limits, ILogger<CallerQuotas> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, PartitionedRateLimiter<string>?> limiters = new(StringComparer.Ordinal);

    /// <summary>Takes one call from <paramref name="caller"/>'s quota for <paramref name="method"/>, if it has one.</summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED with a <c>google.rpc.RetryInfo</c> when the quota is spent.</exception>
    public void Acquire(string method, Caller caller)
    {
        if (caller.Principal.Length == 0 || !methods.Value.Quotas.TryGetValue(method, out var quota)
            || limiters.GetOrAdd(quota, Create) is not { } limiter)
        {
            return;
        }

        using var lease = limiter.AttemptAcquire(caller.Principal);
        if (lease.IsAcquired)
        {
            return;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var limit = limits.Get(quota);
        SecurityLog.OverQuota(logger, caller.Principal, quota, method, retryAfter);
        var status = new Google.Rpc.Status
        {
            Code = (int)StatusCode.ResourceExhausted,
            Message = $"Principal {caller.Principal} has spent its {quota} quota ({limit.PerMinute} a minute, {limit.Burst} at once); retry after {Math.Ceiling(retryAfter.TotalSeconds):0} s.",
        };
        status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }));
        throw status.ToRpcException();
    }

    private PartitionedRateLimiter<string>? Create(string quota)
    {
        var limit = limits.Get(quota);
        if (limit.PerMinute <= 0)
        {
            return null;
        }

        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, limit.Burst),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / limit.PerMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return PartitionedRateLimiter.Create<string, string>(principal => RateLimitPartition.GetTokenBucketLimiter(principal, _ => bucket));
    }

    public void Dispose()
    {
        foreach (var limiter in limiters.Values)
        {
            limiter?.Dispose();
        }
    }
}
