using Likeness.Core.Errors;

namespace Likeness.Generation.Board.Local;

/// <summary>The bounded line of jobs waiting for the device; tells each job its position whenever it changes.</summary>
public sealed class GenerationQueue(int capacity) : IDisposable
{
    private readonly Lock gate = new();
    private readonly List<GenerationJob> waiting = [];
    private readonly SemaphoreSlim available = new(0);

    public int Depth
    {
        get
        {
            lock (gate)
            {
                return waiting.Count;
            }
        }
    }

    /// <summary>Refuses early, before a request does any work, when the queue is already full.</summary>
    /// <exception cref="LikenessException">RESOURCE_EXHAUSTED when <c>capacity</c> jobs already wait.</exception>
    public void EnsureRoom()
    {
        lock (gate)
        {
            if (waiting.Count >= capacity)
            {
                throw Full();
            }
        }
    }

    /// <exception cref="LikenessException">RESOURCE_EXHAUSTED when <c>capacity</c> jobs already wait.</exception>
    public void Enqueue(GenerationJob job)
    {
        lock (gate)
        {
            if (waiting.Count >= capacity)
            {
                throw Full();
            }

            waiting.Add(job);
            job.Publish(new QueuedEvent(waiting.Count - 1));
        }

        available.Release();
    }

    /// <summary>The next job for the device, blocking the calling (device) thread until there is one.</summary>
    public GenerationJob Take(CancellationToken cancellationToken)
    {
        while (true)
        {
            available.Wait(cancellationToken);
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    continue; // removed by a cancellation after its slot was counted
                }

                var job = waiting[0];
                waiting.RemoveAt(0);
                AnnouncePositions();
                return job;
            }
        }
    }

    /// <summary>Removes a waiting job; false when it is not waiting (already running or finished).</summary>
    public bool Remove(GenerationJob job)
    {
        lock (gate)
        {
            if (!waiting.Remove(job))
            {
                return false;
            }

            AnnouncePositions();
            return true;
        }
    }

    /// <summary>Removes every waiting job (for shutdown).</summary>
    public IReadOnlyList<GenerationJob> Drain()
    {
        lock (gate)
        {
            var all = waiting.ToList();
            waiting.Clear();
            return all;
        }
    }

    private LikenessException Full() => JobErrors.QueueFull(capacity, shared: false);

    private void AnnouncePositions()
    {
        for (var i = 0; i < waiting.Count; i++)
        {
            if (waiting[i].QueuePosition != i)
            {
                waiting[i].Publish(new QueuedEvent(i));
            }
        }
    }

    public void Dispose() => available.Dispose();
}
