using Likeness.Core.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Likeness.Identity.Store;

/// <summary>Ready only while the token store answers a ping.</summary>
public sealed class TokenStoreHealthCheck(ITokenStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy(store.Description);
        }
        catch (LikenessException e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
