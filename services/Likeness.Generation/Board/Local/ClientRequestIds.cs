using Likeness.Core.Errors;

namespace Likeness.Generation.Board.Local;

/// <summary>
/// Binds each client request id to one job and to the hash of the parameters it was made with. However many
/// submissions with one id arrive at once, one of them admits the job and the others wait for it and attach; a
/// submission with the same id and other parameters is refused with ALREADY_EXISTS naming <c>client_request_id</c>.
/// An id whose job was cancelled or failed, or whose admission failed, is free for a new job.
/// </summary>
internal sealed class ClientRequestIds
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Principal, string Id), Binding> bindings = [];

    /// <summary>
    /// The job bound to <paramref name="id"/>, or, when none is, the one <paramref name="admit"/> makes, bound to
    /// <paramref name="parameterHash"/>. Admission runs once per id at a time; waiters share its job. Ids are each
    /// principal's own: another principal's same id is another binding.
    /// </summary>
    /// <exception cref="LikenessException">ALREADY_EXISTS when the id is bound to other parameters; whatever <paramref name="admit"/> throws.</exception>
    public async Task<GenerationJob> BindAsync(
        string principal, string id, string parameterHash, Func<Task<GenerationJob>> admit, CancellationToken cancellationToken)
    {
        while (true)
        {
            Binding binding;
            var admitting = false;
            lock (gate)
            {
                if (!bindings.TryGetValue((principal, id), out binding!) || binding.IsSpent)
                {
                    binding = new Binding(parameterHash);
                    bindings[(principal, id)] = binding;
                    admitting = true;
                }
            }

            if (!admitting)
            {
                if (!string.Equals(binding.ParameterHash, parameterHash, StringComparison.Ordinal))
                {
                    throw Conflict(id, binding);
                }

                try
                {
                    var job = await binding.Job.Task.WaitAsync(cancellationToken);
                    if (job.State is not (JobState.Cancelled or JobState.Failed))
                    {
                        return job;
                    }
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // The submission that was admitting failed (its caller went away, the queue was full, …): try again.
                }

                continue;
            }

            try
            {
                var job = await admit();
                binding.Job.SetResult(job);
                return job;
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    if (bindings.TryGetValue((principal, id), out var current) && current == binding)
                    {
                        bindings.Remove((principal, id));
                    }
                }

                binding.Job.SetException(e);
                _ = binding.Job.Task.Exception; // observed: waiters retry rather than rethrow
                throw;
            }
        }
    }

    /// <summary>Unbinds <paramref name="id"/> when it is still bound to <paramref name="job"/> (the job is being forgotten).</summary>
    public void Release(string principal, string id, GenerationJob job)
    {
        lock (gate)
        {
            if (bindings.TryGetValue((principal, id), out var binding) && binding.Job.Task.IsCompletedSuccessfully && binding.Job.Task.Result == job)
            {
                bindings.Remove((principal, id));
            }
        }
    }

    private static LikenessException Conflict(string id, Binding binding)
    {
        var job = binding.Job.Task.IsCompletedSuccessfully ? $"job {binding.Job.Task.Result.Id}" : "a job being admitted";
        return JobErrors.ClientRequestIdConflict(id, job);
    }

    private sealed class Binding(string parameterHash)
    {
        public string ParameterHash { get; } = parameterHash;

        public TaskCompletionSource<GenerationJob> Job { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Its admission failed, or its job was cancelled or failed: the id may start a new job.</summary>
        public bool IsSpent => Job.Task.IsFaulted || Job.Task.IsCanceled
            || (Job.Task.IsCompletedSuccessfully && Job.Task.Result.State is JobState.Cancelled or JobState.Failed);
    }
}
