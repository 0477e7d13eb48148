using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.ServiceDefaults.Security;

/// <summary>Authenticates <c>authorization: Bearer KEY</c> against the <see cref="ApiKeyStore"/>.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    ApiKeyStore keys, IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerCredential.From(Request) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(keys.Find(key) is { } holder
            ? AuthenticateResult.Success(new AuthenticationTicket(holder.ToClaimsPrincipal(SchemeName), SchemeName))
            : AuthenticateResult.Fail("the API key is not recognised"));
    }
}
