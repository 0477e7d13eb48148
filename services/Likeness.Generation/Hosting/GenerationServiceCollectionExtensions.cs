using Likeness.Generation.Identities;
using Likeness.Generation.Jobs;
using Likeness.Identity.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Likeness.Generation.Hosting;

public static class GenerationServiceCollectionExtensions
{
    /// <summary>
    /// The video model, the identity model (shared with an encoder in the same process), the bounded queue, its
    /// worker and <see cref="GenerationService"/>, bound from <c>VideoModel</c> and <c>Generator</c>; adds the
    /// "video-model" readiness check. Needs a token store (<c>AddTokenStore</c>).
    /// </summary>
    public static IServiceCollection AddGeneration(this IServiceCollection services)
    {
        services.AddIdentityModel();
        services.AddOptions<VideoModelOptions>().BindConfiguration("VideoModel")
            .Validate(o => o.Width > 0 && o.Width % 4 == 0 && o.Blocks > 0, "VideoModel: Width must be a positive multiple of 4 and Blocks positive.")
            .ValidateOnStart();
        services.AddOptions<GeneratorOptions>().BindConfiguration("Generator")
            .PostConfigure(o => o.ApplyListDefaults())
            .Validate(o => o.MaxQueuedJobs >= 0 && o.MaxCharacters >= 1 && o.MaxSteps >= 1 && o.MaxGuidanceScale >= 1
                && o.Sizes.Count > 0 && o.FrameCounts.Count > 0 && o.Sizes.Contains(o.DefaultSize) && o.FrameCounts.Contains(o.DefaultFrames)
                && o.DefaultSteps >= 1 && o.DefaultSteps <= o.MaxSteps && o.FinishedJobRetention >= TimeSpan.Zero && o.MaxFinishedJobs >= 0,
                "Generator: limits or defaults are inconsistent (defaults must be among the offered sizes and frame counts).")
            .ValidateOnStart();

        services.AddSingleton<VideoModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoModelHost>());
        services.AddSingleton(sp => new GenerationQueue(sp.GetRequiredService<IOptions<GeneratorOptions>>().Value.MaxQueuedJobs));
        services.AddMetrics();
        services.AddSingleton<GenerationMetrics>();
        services.AddSingleton<JobOutcomes>();
        services.AddSingleton<IdentityLoader>();
        services.AddSingleton<GenerationService>();
        services.AddHostedService<GenerationWorker>();
        services.AddHealthChecks().AddCheck<VideoModelHealthCheck>("video-model", tags: ["ready"]);
        return services;
    }

    private sealed class VideoModelHealthCheck(VideoModelHost host) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(host.Model is { } model
                ? HealthCheckResult.Healthy(model.ModelId)
                : HealthCheckResult.Unhealthy("The video model is loading."));
    }
}
