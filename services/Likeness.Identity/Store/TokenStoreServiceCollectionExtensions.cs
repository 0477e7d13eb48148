using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likeness.Identity.Store;

public static class TokenStoreServiceCollectionExtensions
{
    /// <summary>Configuration key of the Redis connection string (StackExchange.Redis syntax).</summary>
    public const string RedisConfigurationKey = "Redis:Configuration";

    /// <summary>
    /// Registers the token store: Redis when <c>Redis:Configuration</c> is set, else the embedded in-memory
    /// store; adds the "token-store" readiness check and logs the choice at start-up.
    /// </summary>
    public static IServiceCollection AddTokenStore(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ITokenStore)))
        {
            return services; // the encoder and the generator in one process share one store
        }

        services.AddOptions<TokenStoreOptions>().BindConfiguration("TokenStore")
            .Validate(o => o.TimeToLive >= TimeSpan.Zero && o.InMemoryMaxEntries > 0 && o.RedisTimeout > TimeSpan.Zero,
                "TokenStore: TimeToLive must be >= 0, InMemoryMaxEntries > 0 and RedisTimeout > 0.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TokenStoreOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);

        var redis = configuration[RedisConfigurationKey];
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<ITokenStore, InMemoryTokenStore>();
        }
        else
        {
            services.AddSingleton<IConnectionMultiplexer>(sp => Connect(redis, sp.GetRequiredService<TokenStoreOptions>()));
            services.AddSingleton<ITokenStore, RedisTokenStore>();
        }

        services.AddHostedService<TokenStoreAnnouncement>();
        services.AddHealthChecks().AddCheck<TokenStoreHealthCheck>("token-store", tags: ["ready"]);
        return services;
    }

    /// <summary>Connects without failing when Redis is down: commands then fail fast and the client reconnects by itself.</summary>
    private static ConnectionMultiplexer Connect(string configuration, TokenStoreOptions options)
    {
        var settings = ConfigurationOptions.Parse(configuration);
        settings.AbortOnConnectFail = false;
        settings.BacklogPolicy = BacklogPolicy.FailFast;
        settings.ConnectTimeout = (int)options.RedisTimeout.TotalMilliseconds;
        settings.SyncTimeout = (int)options.RedisTimeout.TotalMilliseconds;
        settings.AsyncTimeout = (int)options.RedisTimeout.TotalMilliseconds;
        settings.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        return ConnectionMultiplexer.Connect(settings);
    }

    private sealed class TokenStoreAnnouncement(ITokenStore store, ILogger<TokenStoreAnnouncement> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            IdentityLog.TokenStoreChosen(logger, store.Description);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
