namespace Likeness.ServiceDefaults.Security;

/// <summary>One per-principal quota (<c>Quotas:{Name}</c>): a token bucket that refills evenly over the minute.</summary>
public sealed class QuotaLimit
{
    /// <summary>Calls a principal may make per minute on average; 0 turns the quota off. The default depends on the quota.</summary>
    public int PerMinute { get; set; }

    /// <summary>Calls a principal may make at once after a quiet spell (the bucket's size). The default depends on the quota.</summary>
    public int Burst { get; set; }
}
