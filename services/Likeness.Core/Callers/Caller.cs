namespace Likeness.Core.Callers;

/// <summary>
/// Who made a request, as the domain sees it: a principal id (empty when the service runs without authentication) and
/// whether the principal holds the admin role, which may act on everyone's work.
/// </summary>
public sealed record Caller(string Principal, bool IsAdmin)
{
    /// <summary>A caller on a service without authentication: every such caller is the same nobody.</summary>
    public static Caller Anonymous { get; } = new("", IsAdmin: false);

    /// <summary>Whether this caller may see and control work that <paramref name="owner"/> created.</summary>
    public bool MayActFor(string owner) => IsAdmin || string.Equals(Principal, owner, StringComparison.Ordinal);
}
