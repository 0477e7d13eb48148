namespace Likeness.Core.Errors;

/// <summary>What went wrong, in terms a transport maps to its own status codes.</summary>
public enum LikenessErrorKind
{
    /// <summary>The request is malformed or out of range; <see cref="LikenessException.Field"/> names the culprit.</summary>
    InvalidArgument,

    /// <summary>The named resource does not exist (or has expired).</summary>
    NotFound,

    /// <summary>The resource exists but cannot be used in this state, e.g. tokens of another model.</summary>
    FailedPrecondition,

    /// <summary>The caller is known but may not act on the resource, e.g. another principal's job.</summary>
    PermissionDenied,

    /// <summary>A limit on concurrent work or queued work is reached; retry later.</summary>
    ResourceExhausted,

    /// <summary>A dependency (the token store, the model) is not reachable or not ready; retry with backoff.</summary>
    Unavailable,

    /// <summary>Stored data failed its integrity check.</summary>
    DataLoss,

    /// <summary>
    /// What the request would create already exists in another form, e.g. a client request id bound to a job made
    /// with other parameters; <see cref="LikenessException.Field"/> names the key.
    /// </summary>
    AlreadyExists,
}
