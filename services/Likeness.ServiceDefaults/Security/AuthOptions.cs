namespace Likeness.ServiceDefaults.Security;

/// <summary>Authentication and authorisation of callers (<c>Auth</c>), shared by both services.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Which credentials are accepted. Default <see cref="AuthMode.None"/>: the service is open (meant for loopback).</summary>
    public AuthMode Mode { get; set; } = AuthMode.None;

    /// <summary>
    /// The API keys file (one key per line: <c>KEY PRINCIPAL [ROLE[,ROLE…]]</c>; blank lines and <c>#</c> comments
    /// ignored), re-read when it changes, e.g. a mounted Kubernetes Secret. Required in <see cref="AuthMode.ApiKeys"/>.
    /// </summary>
    public string ApiKeysFile { get; set; } = "";

    /// <summary>How JWTs are validated.</summary>
    public JwtAuthOptions Jwt { get; set; } = new();

    /// <summary>The role whose holders may watch, get and cancel every principal's jobs. Default <c>admin</c>.</summary>
    public string AdminRole { get; set; } = "admin";

    /// <summary>Whether server reflection is served (to authenticated callers when authentication is on). Default true.</summary>
    public bool AllowReflection { get; set; } = true;

    /// <summary>Whether HTTPS endpoints demand a client certificate (mTLS). Default false.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// A PEM file of the certificate authority client certificates must chain to; empty: the system's trusted roots.
    /// Default empty.
    /// </summary>
    public string ClientCertificateAuthority { get; set; } = "";
}
