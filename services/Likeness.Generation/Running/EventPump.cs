using System.Threading.Channels;
using Likeness.Generation.Board;

namespace Likeness.Generation.Running;

/// <summary>
/// Publishes one run's events in order on a pool thread, making each one there (PNG encoding of previews and frames,
/// the board's write), so that the device thread hands work over and goes on with the next step instead of waiting.
/// </summary>
internal sealed class EventPump
{
    private readonly Channel<Func<JobEvent?>> pending = Channel.CreateUnbounded<Func<JobEvent?>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task pumping;

    public EventPump(IJobRun job)
    {
        pumping = Task.Run(async () =>
        {
            await foreach (var make in pending.Reader.ReadAllAsync())
            {
                if (make() is { } jobEvent)
                {
                    job.Publish(jobEvent);
                }
            }
        });
    }

    /// <summary>Queues an event; <paramref name="make"/> runs on the pump, in order, and may return null to publish nothing.</summary>
    public void Post(Func<JobEvent?> make)
    {
        if (!pending.Writer.TryWrite(make))
        {
            throw new InvalidOperationException("The run's events are already drained.");
        }
    }

    /// <summary>Waits until every queued event is published; rethrows what making or publishing one threw.</summary>
    public void Drain()
    {
        pending.Writer.TryComplete();
        pumping.GetAwaiter().GetResult();
    }

    /// <summary>Waits for the pump to stop after a failed or cancelled run, so nothing is published after its final event.</summary>
    public void Abandon()
    {
        pending.Writer.TryComplete();
        try
        {
            pumping.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // The run has already failed or been cancelled; that outcome is the one reported.
        }
    }
}
