using Likeness.Core.Errors;
using Microsoft.Extensions.Options;

namespace Likeness.Identity.Encoder;

/// <summary>
/// Admits the encoder's model work: at most <see cref="IdentityEncodingOptions.MaxConcurrentEncodes"/> runs at once on
/// pool threads, at most <see cref="IdentityEncodingOptions.MaxQueuedEncodes"/> wait, and the rest are refused.
/// Encodes, the photo family's face finding and clip scoring share these slots, so no request runs a model outside them.
/// </summary>
public sealed class ModelSlots(IOptions<IdentityEncodingOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentEncodes);
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
                slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    public void Dispose() => slots.Dispose();
}
