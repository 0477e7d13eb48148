using Likeness.Core.Errors;
using Likeness.Model.Runtime;
using Microsoft.Extensions.Options;

namespace Likeness.Identity.Encoder;

/// <summary>
/// Admits the encoder's model work: at most <see cref="IdentityEncodingOptions.MaxConcurrentEncodes"/> runs at once on
/// pool threads, at most <see cref="IdentityEncodingOptions.MaxQueuedEncodes"/> wait, and the rest are refused.
/// Encodes, the photo family's face finding and clip scoring share these slots, so no request runs a model outside them.
/// </summary>
/// <remarks>
/// After model work, at most once a second, the memory native code freed is handed back to the system
/// (<see cref="TorchRuntime.ReleaseFreedMemory"/>): without it the encoder's resident memory climbed 19% over a
/// 25-minute fault run while its heap fragmented across the pool threads that ran the models.
/// </remarks>
public sealed class ModelSlots(IOptions<IdentityEncodingOptions> options, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentEncodes);
    private long lastTrim;
    private int waiting;

    /// <summary>Runs <paramref name="work"/> on a pool thread once a slot is free.</summary>
    /// <exception cref="LikenessException">RESOURCE_EXHAUSTED when the waiting limit is reached.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting for a slot.</exception>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (Interlocked.Increment(ref waiting) > limits.MaxQueuedEncodes + limits.MaxConcurrentEncodes)
        {
            Interlocked.Decrement(ref waiting);
            throw new LikenessException(LikenessErrorKind.ResourceExhausted,
                $"More than {limits.MaxQueuedEncodes} requests are waiting for the encoder's models; retry later.");
        }

        try
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await Task.Run(work, CancellationToken.None);
            }
            finally
            {
                TrimNow();
                slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    private void TrimNow()
    {
        var last = Interlocked.Read(ref lastTrim);
        if (time.GetElapsedTime(last) >= TrimInterval && Interlocked.CompareExchange(ref lastTrim, time.GetTimestamp(), last) == last)
        {
            TorchRuntime.ReleaseFreedMemory();
        }
    }

    public void Dispose() => slots.Dispose();
}
