using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Likeness.ServiceDefaults.Security;

/// <summary>Authentication (API keys, JWT), optional mTLS and per-principal quotas, configured from <c>Auth</c> and <c>Quotas</c>.</summary>
public static class SecurityExtensions
{
    /// <summary>The scheme every call is authenticated with: it forwards to the API key or the JWT scheme.</summary>
    private const string CallerScheme = "Likeness";

    internal static void AddCallerSecurity(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => !o.Mode.HasFlag(AuthMode.ApiKeys) || o.ApiKeysFile.Length > 0, "Auth:Mode ApiKeys needs Auth:ApiKeysFile.")
            .Validate(o => !o.Mode.HasFlag(AuthMode.Jwt) || (o.Jwt.Issuer.Length > 0 && o.Jwt.Audience.Length > 0 && o.Jwt.SigningKeys.Count > 0),
                "Auth:Mode Jwt needs Auth:Jwt:Issuer, Auth:Jwt:Audience and at least one Auth:Jwt:SigningKeys entry.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<CallerQuotas>();
        builder.Services.AddSingleton<CallerInterceptor>();
        builder.Services.AddOptions<CallerQuotaMethods>();

        if (auth.Mode != AuthMode.None)
        {
            var authentication = builder.Services.AddAuthentication(CallerScheme).AddPolicyScheme(CallerScheme, null, policy =>
                policy.ForwardDefaultSelector = http => auth.Mode switch
                {
                    AuthMode.ApiKeys => ApiKeyAuthenticationHandler.SchemeName,
                    AuthMode.Jwt => JwtBearerDefaults.AuthenticationScheme,
                    _ => BearerCredential.From(http.Request) is { } credential && BearerCredential.LooksLikeJwt(credential)
                        ? JwtBearerDefaults.AuthenticationScheme
                        : ApiKeyAuthenticationHandler.SchemeName,
                });
            if (auth.Mode.HasFlag(AuthMode.ApiKeys))
            {
                authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
            }

            if (auth.Mode.HasFlag(AuthMode.Jwt))
            {
                authentication.AddJwtBearer(jwt =>
                {
                    jwt.MapInboundClaims = false;
                    jwt.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidIssuer = auth.Jwt.Issuer,
                        ValidAudience = auth.Jwt.Audience,
                        IssuerSigningKeys = auth.Jwt.SigningKeys.Select(SigningKey).ToList(),
                        NameClaimType = auth.Jwt.PrincipalClaim,
                        RoleClaimType = auth.Jwt.RoleClaim,
                        ClockSkew = auth.Jwt.ClockSkew,
                        RequireExpirationTime = true,
                    };
                });
            }
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            if (!auth.RequireClientCertificate)
            {
                return;
            }

            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            if (auth.ClientCertificateAuthority.Length > 0)
            {
                var authority = X509CertificateLoader.LoadCertificateFromFile(auth.ClientCertificateAuthority);
                https.ClientCertificateValidation = (certificate, _, _) => ChainsTo(certificate, authority);
            }
        }));
    }

    /// <summary>
    /// Charges calls to <paramref name="methods"/> (<c>/package.Service/Method</c>) to the per-principal quota
    /// <paramref name="name"/>, configured under <c>Quotas:{name}</c> with the given defaults.
    /// </summary>
    public static IServiceCollection AddCallerQuota(this IServiceCollection services, string name, int perMinute, int burst, params string[] methods)
    {
        services.AddOptions<QuotaLimit>(name).Configure(limit => (limit.PerMinute, limit.Burst) = (perMinute, burst)).BindConfiguration($"Quotas:{name}");
        services.Configure<CallerQuotaMethods>(quotas =>
        {
            foreach (var method in methods)
            {
                quotas.Quotas[method] = name;
            }
        });
        return services;
    }

    /// <summary>Reads the API keys once at start-up, so a missing or malformed file stops the service instead of refusing every call.</summary>
    internal static void LoadCallerCredentials(this IServiceProvider services)
    {
        if (services.GetRequiredService<IOptions<AuthOptions>>().Value.Mode.HasFlag(AuthMode.ApiKeys))
        {
            services.GetRequiredService<ApiKeyStore>().Load();
        }
    }

    /// <summary>A PEM public key (RSA or EC), or a base64 HMAC secret.</summary>
    private static SecurityKey SigningKey(string configured)
    {
        if (configured.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            try
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(configured);
                return new RsaSecurityKey(rsa);
            }
            catch (ArgumentException)
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(configured);
                return new ECDsaSecurityKey(ec);
            }
        }

        var secret = Convert.FromBase64String(configured);
        return secret.Length >= 32
            ? new SymmetricSecurityKey(secret)
            : throw new InvalidOperationException("An Auth:Jwt:SigningKeys HMAC secret must be at least 32 bytes (base64).");
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
