using Likeness.Core.Errors;
using StackExchange.Redis;

namespace Likeness.Identity.Store;

/// <summary>
/// How every Redis user in Likeness (the token store and the job board) tells Redis being unreachable or slow from
/// anything else, and reports it: UNAVAILABLE, naming the part of the system that could not reach Redis, so a client
/// retries with backoff.
/// </summary>
public static class RedisFaults
{
    /// <summary>
    /// Whether <paramref name="e"/> is Redis being unreachable or slow: a <see cref="RedisException"/> (connection,
    /// server, command errors) or a <see cref="RedisTimeoutException"/>, which StackExchange.Redis derives from
    /// <see cref="TimeoutException"/>, not from <see cref="RedisException"/>.
    /// </summary>
    public static bool IsTransient(Exception e) => e is RedisException or RedisTimeoutException;

    /// <summary>Runs <paramref name="operation"/>, turning a transient Redis fault into UNAVAILABLE.</summary>
    /// <param name="what">The part that was unreachable, as a sentence begins: "The token store", "The job board (Redis)".</param>
    /// <exception cref="LikenessException"><see cref="LikenessErrorKind.Unavailable"/> when <see cref="IsTransient"/>.</exception>
    public static async Task<T> Guard<T>(string what, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable(what, e);
        }
    }

    /// <summary>The UNAVAILABLE error for a transient fault <paramref name="e"/> of <paramref name="what"/>.</summary>
    public static LikenessException Unavailable(string what, Exception e) =>
        new(LikenessErrorKind.Unavailable, $"{what} is unreachable: {e.Message}", inner: e);
}
