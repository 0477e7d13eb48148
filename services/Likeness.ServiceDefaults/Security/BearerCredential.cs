using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Likeness.ServiceDefaults.Security;

/// <summary>The credential of an <c>authorization: Bearer …</c> header (gRPC metadata), whatever kind it is.</summary>
internal static class BearerCredential
{
    private const string Prefix = "Bearer ";

    /// <returns>The credential, or null when the request carries no bearer authorization.</returns>
    public static string? From(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && header[Prefix.Length..].Trim() is { Length: > 0 } credential
            ? credential
            : null;
    }

    /// <summary>A JWT is three base64url parts joined by dots; an API key has none.</summary>
    public static bool LooksLikeJwt(string credential) => credential.Count(c => c == '.') == 2;
}
