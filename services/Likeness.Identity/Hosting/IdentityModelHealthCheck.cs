using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Likeness.Identity.Hosting;

/// <summary>Ready once the identity model has loaded.</summary>
public sealed class IdentityModelHealthCheck(IdentityModelHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(host.Model is { } model
            ? HealthCheckResult.Healthy(model.ModelId)
            : HealthCheckResult.Unhealthy("The identity model is loading."));
}
