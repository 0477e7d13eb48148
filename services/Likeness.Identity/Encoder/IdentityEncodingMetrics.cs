using System.Diagnostics.Metrics;

namespace Likeness.Identity.Encoder;

/// <summary>Encoder metrics on the <c>Likeness.Identity</c> meter.</summary>
public sealed class IdentityEncodingMetrics
{
    public const string MeterName = "Likeness.Identity";

    private readonly Counter<long> encodes;
    private readonly Histogram<double> modelDuration;

    public IdentityEncodingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        encodes = meter.CreateCounter<long>("likeness.identity.encodes", "{encode}", "Encode requests that succeeded, by whether the model ran.");
        modelDuration = meter.CreateHistogram<double>("likeness.identity.model.duration", "s", "Time the identity model took per encode.");
    }

    public void CacheHit() => encodes.Add(1, new KeyValuePair<string, object?>("outcome", "cache_hit"));

    public void Encoded(TimeSpan modelTime)
    {
        encodes.Add(1, new KeyValuePair<string, object?>("outcome", "encoded"));
        modelDuration.Record(modelTime.TotalSeconds);
    }
}
