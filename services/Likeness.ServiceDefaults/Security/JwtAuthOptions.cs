namespace Likeness.ServiceDefaults.Security;

/// <summary>How bearer JWTs are validated (<c>Auth:Jwt</c>).</summary>
public sealed class JwtAuthOptions
{
    /// <summary>The <c>iss</c> a token must carry. Required in <see cref="AuthMode.Jwt"/>.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The <c>aud</c> a token must carry. Required in <see cref="AuthMode.Jwt"/>.</summary>
    public string Audience { get; set; } = "";

    /// <summary>
    /// Keys a token may be signed with: a PEM public key (RSA or EC, <c>-----BEGIN PUBLIC KEY-----</c>), or a base64
    /// HMAC secret of at least 32 bytes. Several keys allow rotation. At least one is required in <see cref="AuthMode.Jwt"/>.
    /// </summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>The claim that names the principal. Default <c>sub</c>.</summary>
    public string PrincipalClaim { get; set; } = "sub";

    /// <summary>The claim that carries roles (a string or an array). Default <c>role</c>.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Tolerated clock difference between the issuer and this service. Default 30 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
