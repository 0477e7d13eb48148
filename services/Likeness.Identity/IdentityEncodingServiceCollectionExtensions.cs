using Likeness.Identity.Encoder;
using Likeness.Identity.Families;
using Likeness.Identity.Images;
using Likeness.Identity.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Likeness.Identity;

/// <summary>Registers the encoder's identity domain in a service collection.</summary>
public static class IdentityEncodingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the identity model and the photo face pipeline (loaded in the background), the identity families,
    /// reference checks and <see cref="IdentityEncoding"/>,
    /// bound from the <c>IdentityModel</c>, <c>ReferenceImages</c> and <c>IdentityEncoding</c> sections, plus the
    /// "identity-model" and "photo-faces" readiness checks. Needs a token store (<c>AddTokenStore</c>).
    /// </summary>
    public static IServiceCollection AddIdentityEncoding(this IServiceCollection services)
    {
        services.AddIdentityModel();
        services.AddOptions<ReferenceImageOptions>().BindConfiguration("ReferenceImages")
            .Validate(o => o.MinReferences >= 1 && o.MaxReferences >= o.MinReferences && o.MaxReferences <= byte.MaxValue
                && o.MaxReferenceBytes > 0 && o.MaxPixels > 0 && o.MinSide >= 16 && o.MaxSide >= o.MinSide,
                "ReferenceImages: limits are inconsistent.")
            .ValidateOnStart();
        services.AddOptions<IdentityEncodingOptions>().BindConfiguration("IdentityEncoding")
            .Validate(o => o.MaxConcurrentEncodes >= 1 && o.MaxQueuedEncodes >= 0, "IdentityEncoding: MaxConcurrentEncodes >= 1, MaxQueuedEncodes >= 0.")
            .ValidateOnStart();

        services.AddSingleton(sp => new ReferenceDecoder(sp.GetRequiredService<IOptions<ReferenceImageOptions>>().Value));
        services.AddOptions<PhotoFaceOptions>().BindConfiguration("PhotoFaces");
        services.AddSingleton<PhotoFaceHost>();
        services.AddHostedService(sp => sp.GetRequiredService<PhotoFaceHost>());
        services.AddHealthChecks().AddCheck<PhotoFaceHost>("photo-faces", tags: ["ready"]);
        services.AddSingleton<IdentityFamilies>();
        services.AddOptions<ScoringOptions>().BindConfiguration("Scoring")
            .Validate(o => o.MaxFrames >= 1 && o.MaxPeople >= 1, "Scoring: MaxFrames >= 1, MaxPeople >= 1.")
            .ValidateOnStart();
        services.AddSingleton<ConsistencyScoring>();
        services.AddMetrics();
        services.AddSingleton<IdentityEncodingMetrics>();
        services.AddSingleton<ModelSlots>();
        services.AddSingleton<IdentityEncoding>();
        return services;
    }
}
