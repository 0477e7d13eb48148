using Likeness.Identity.Hosting;
using Likeness.Identity.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Likeness.Identity;

/// <summary>Registers the identity model both services load.</summary>
public static class IdentityModelServiceCollectionExtensions
{
    /// <summary>
    /// The identity model, loaded once in the background, bound from <c>IdentityModel</c>, with its "identity-model"
    /// readiness check. Safe to call more than once: the encoder and the generator in one process share it.
    /// </summary>
    public static IServiceCollection AddIdentityModel(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IdentityModelHost)))
        {
            return services;
        }

        services.AddOptions<IdentityModelOptions>().BindConfiguration("IdentityModel")
            .Validate(o => o.TokenDim > 0 && o.TokenDim % 8 == 0, "IdentityModel:TokenDim must be a positive multiple of 8.")
            .ValidateOnStart();
        services.AddSingleton<IdentityModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<IdentityModelHost>());
        services.AddSingleton<StoredIdentityReader>();
        services.AddHealthChecks().AddCheck<IdentityModelHealthCheck>("identity-model", tags: ["ready"]);
        return services;
    }
}
