using Likeness.Core.Errors;

namespace Likeness.Generation.Board;

/// <summary>The refusals both job boards give, worded once.</summary>
internal static class JobErrors
{
    /// <summary>ALREADY_EXISTS naming <c>client_request_id</c>: the id is bound to <paramref name="job"/>, made with other parameters.</summary>
    public static LikenessException ClientRequestIdConflict(string id, string job) => new(
        LikenessErrorKind.AlreadyExists,
        $"\"{id}\" already names {job}, made with other parameters; resend the same parameters to attach to it, or use a new client_request_id for a new job.",
        "client_request_id");

    /// <summary>RESOURCE_EXHAUSTED: <paramref name="capacity"/> jobs already wait, on this generator or across the cluster.</summary>
    public static LikenessException QueueFull(int capacity, bool shared) => new(
        LikenessErrorKind.ResourceExhausted,
        shared
            ? $"The cluster's generation queue is full ({capacity} jobs waiting across all generators); retry later."
            : $"The generation queue is full ({capacity} jobs waiting); retry later.");
}
