using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Likeness.Generation.Board.Redis;

/// <summary>
/// Every Redis key and pub/sub channel of the shared job board, under <see cref="ClusterOptions.KeyPrefix"/> (written
/// <c>{p}</c> below). The Lua scripts name the same keys from the prefix they are given (<see cref="JobScripts"/>'s
/// prelude: <c>job_key</c>, <c>events_key</c> and the locals beside them), because a script computes the keys of the
/// jobs it finds; these two places are the only ones that spell a key.
/// </summary>
internal sealed class JobKeys(string prefix)
{
    /// <summary>The prefix every key and channel starts with; the scripts' ARGV[1].</summary>
    public string Prefix => prefix;

    /// <summary><c>{p}queue</c>: the stream of admitted jobs (field <c>job</c>) the consumer group reads; its length is the jobs queued or running, what KEDA scales on.</summary>
    public RedisKey Queue => prefix + "queue";

    /// <summary><c>{p}waiting</c>: the jobs not yet taken, a sorted set in admission order, so ranks are queue positions.</summary>
    public RedisKey Waiting => prefix + "waiting";

    /// <summary><c>{p}finished</c>: ended jobs scored by when they ended, so the oldest beyond the retention or the count are forgotten.</summary>
    public RedisKey Finished => prefix + "finished";

    /// <summary><c>{p}admitted</c>: the admission counter, each job's score in <see cref="Waiting"/>.</summary>
    public RedisKey Admitted => prefix + "admitted";

    /// <summary>
    /// <c>{p}job:{id}</c>: the job's hash — <c>owner</c>, <c>request</c>, <c>seed</c>, <c>created</c>, <c>state</c>,
    /// <c>pos</c>, <c>step</c>, <c>steps</c>, <c>seq</c>, <c>attempt</c>, <c>pod</c>, <c>entry</c> (its queue entry),
    /// <c>crid</c>, <c>cancel</c>, <c>reason</c>, <c>finished</c>, and until it ends each character's tokens
    /// (<c>c{i}t</c>, <c>c{i}f</c>).
    /// </summary>
    public RedisKey Job(string jobId) => prefix + "job:" + jobId;

    /// <summary><c>{p}job:{id}:events</c>: the job's events, entry id <c>0-{sequence}</c>, so "after sequence n" is "after id 0-n".</summary>
    public RedisKey Events(string jobId) => prefix + "job:" + jobId + ":events";

    /// <summary>
    /// <c>{p}crid:{sha256}</c>: a client request id's binding to its job, keyed by the hash of the owner and the id so that
    /// two principals' ids never meet and no id is stored in clear.
    /// </summary>
    public RedisKey Binding(string owner, string clientRequestId) =>
        prefix + "crid:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner + "\n" + clientRequestId)));

    /// <summary><c>{p}events</c>: a job id, published whenever that job has a new event (wakes its watchers).</summary>
    public RedisChannel EventsChannel => RedisChannel.Literal(prefix + "events");

    /// <summary><c>{p}work</c>: published when a job is admitted or handed back (wakes idle pods).</summary>
    public RedisChannel WorkChannel => RedisChannel.Literal(prefix + "work");

    /// <summary><c>{p}cancel</c>: <c>{job id}\n{reason}</c>, published when a running job is cancelled (reaches its pod at once).</summary>
    public RedisChannel CancelChannel => RedisChannel.Literal(prefix + "cancel");
}
