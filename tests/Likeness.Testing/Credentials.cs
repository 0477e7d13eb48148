using System.Security.Claims;
using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Likeness.Testing;

/// <summary>Credentials for services started with authentication on: an API keys file, JWTs, and the metadata that carries them.</summary>
public static class Credentials
{
    /// <summary>The issuer, audience and HMAC secret a host started with <see cref="JwtSettings"/> accepts.</summary>
    public const string Issuer = "https://issuer.likeness.test";

    public const string Audience = "likeness";

    public static readonly byte[] JwtSecret = RandomNumberGenerator.GetBytes(32);

    /// <summary>Settings that accept JWTs signed with <see cref="JwtSecret"/>.</summary>
    public static string[] JwtSettings =>
        [$"--Auth:Jwt:Issuer={Issuer}", $"--Auth:Jwt:Audience={Audience}", $"--Auth:Jwt:SigningKeys:0={Convert.ToBase64String(JwtSecret)}"];

    /// <summary>A fresh, random API key.</summary>
    public static string NewApiKey() => "lk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Writes an API keys file (<c>KEY PRINCIPAL [ROLES]</c> lines) to a temporary path and returns it.</summary>
    public static string WriteApiKeysFile(params (string Key, string Principal, string Roles)[] holders)
    {
        var path = Path.Combine(Path.GetTempPath(), $"likeness-api-keys-{Guid.NewGuid():N}");
        File.WriteAllLines(path, ["# test keys", .. holders.Select(h => $"{h.Key} {h.Principal} {h.Roles}".TrimEnd())]);
        return path;
    }

    /// <summary>A signed JWT for <paramref name="principal"/>; by default valid for ten minutes and signed with <see cref="JwtSecret"/>.</summary>
    public static string Jwt(string principal, string[]? roles = null, TimeSpan? lifetime = null, byte[]? secret = null, string audience = Audience)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", principal), .. (roles ?? []).Select(role => new Claim("role", role))]),
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(secret ?? JwtSecret), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>gRPC metadata carrying <paramref name="token"/> as a bearer credential.</summary>
    public static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };
}
