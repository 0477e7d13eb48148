using Likeness.Generation.Board;
using Likeness.Generation.Board.Local;
using Likeness.Generation.Board.Redis;
using Likeness.Generation.Hosting;
using Likeness.Generation.Identities;
using Likeness.Generation.Running;
using Likeness.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likeness.Generation;

public static class GenerationServiceCollectionExtensions
{
    /// <summary>
    /// The video model, the identity model (shared with an encoder in the same process), the job board and this pod's
    /// worker on it, and <see cref="GenerationService"/>, bound from <c>VideoModel</c>, <c>Generator</c> and
    /// <c>Cluster</c>; adds the "video-model" readiness check. Needs a token store (<c>AddTokenStore</c>). With Redis
    /// configured (the token store's connection is registered), jobs live on the board every generator shares
    /// (<see cref="RedisJobBoard"/>); without, in this process (<see cref="LocalJobBoard"/>).
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
                && o.DefaultSteps >= 1 && o.DefaultSteps <= o.MaxSteps && o.FinishedJobRetention >= TimeSpan.Zero && o.MaxFinishedJobs >= 0
                && float.IsFinite(o.MaxSeconds) && o.MaxSeconds > 0 && o.MaxShots >= 1 && o.MaxExtensionFrames >= 1 && o.ReattachGrace >= TimeSpan.Zero,
                "Generator: limits or defaults are inconsistent (defaults must be among the offered sizes and frame counts; MaxSeconds, MaxShots and MaxExtensionFrames positive; ReattachGrace not negative).")
            .ValidateOnStart();
        services.AddOptions<ClusterOptions>().BindConfiguration("Cluster")
            .Validate(o => o.KeyPrefix.Length > 0 && o.ConsumerGroup.Length > 0 && o.ClaimTimeout >= TimeSpan.FromSeconds(1)
                && o.MaxAttempts >= 1 && o.PollInterval > TimeSpan.Zero && o.UnfinishedJobTimeToLive > o.ClaimTimeout,
                "Cluster: KeyPrefix and ConsumerGroup must be set, ClaimTimeout at least 1 s, MaxAttempts at least 1, PollInterval positive, UnfinishedJobTimeToLive longer than ClaimTimeout.")
            .ValidateOnStart();

        services.AddSingleton<VideoModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoModelHost>());
        services.AddMetrics();
        services.AddSingleton<GenerationMetrics>();
        services.AddSingleton<JobOutcomes>();
        services.AddSingleton<IdentityLoader>();
        services.AddSingleton<IJobBoard>(sp =>
        {
            var generator = sp.GetRequiredService<IOptions<GeneratorOptions>>().Value;
            var outcomes = sp.GetRequiredService<JobOutcomes>();
            var time = sp.GetRequiredService<TimeProvider>();
            IJobBoard board = sp.GetService<IConnectionMultiplexer>() is { } redis
                ? new RedisJobBoard(redis, generator, sp.GetRequiredService<IOptions<ClusterOptions>>().Value, outcomes, time, sp.GetRequiredService<ILogger<RedisJobBoard>>())
                : new LocalJobBoard(generator, outcomes, time);
            sp.GetRequiredService<GenerationMetrics>().ObserveQueue(board);
            return board;
        });
        services.AddSingleton<GenerationService>();
        services.AddHostedService<JobBoardAnnouncement>();
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

    /// <summary>Logs where jobs live at start-up.</summary>
    private sealed class JobBoardAnnouncement(IJobBoard board, ILogger<JobBoardAnnouncement> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GenerationLog.JobBoardChosen(logger, board.Description);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
