namespace Likeness.ServiceDefaults.Security;

/// <summary>Which gRPC methods (<c>/package.Service/Method</c>) draw on which quota.</summary>
public sealed class CallerQuotaMethods
{
    public Dictionary<string, string> Quotas { get; } = new(StringComparer.Ordinal);
}
