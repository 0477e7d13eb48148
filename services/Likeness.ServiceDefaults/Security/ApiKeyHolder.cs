using System.Security.Claims;

namespace Likeness.ServiceDefaults.Security;

/// <summary>The principal an API key stands for, and its roles.</summary>
public sealed record ApiKeyHolder(string Principal, IReadOnlyList<string> Roles)
{
    /// <summary>The holder as a claims principal: named by a <c>sub</c> claim, with a <c>role</c> claim per role.</summary>
    public ClaimsPrincipal ToClaimsPrincipal(string scheme) => new(new ClaimsIdentity(
        [new Claim("sub", Principal), .. Roles.Select(role => new Claim("role", role))], scheme, "sub", "role"));
}
