namespace Likeness.Generation.Board.Redis;

/// <summary>
/// The Lua scripts that change a shared job, each one atomic on the Redis server, so that pods racing on one job
/// cannot interleave. Every script takes the key prefix as ARGV[1] and names the keys of <see cref="JobKeys"/> from it in
/// its prelude (<c>queue</c>, <c>waiting</c>, <c>job_key(id)</c>, …); fixed arguments get names in each script's first
/// line. Each answer with more than one meaning is decoded into a named outcome in <see cref="JobScriptResults"/>.
/// The scripts name job keys they compute rather than receive, so they need one Redis server (a primary, optionally with
/// replicas or Sentinel), not Redis Cluster.
/// </summary>
internal static class JobScripts
{
    /// <summary>Helpers every script starts with: append an event made here, announce queue positions, end a job.</summary>
    private const string Prelude = """
        local p = ARGV[1]
        local queue, waiting, finished, admitted = p .. 'queue', p .. 'waiting', p .. 'finished', p .. 'admitted'
        local events_channel, work_channel, cancel_channel = p .. 'events', p .. 'work', p .. 'cancel'
        local function job_key(job) return p .. 'job:' .. job end
        local function events_key(job) return job_key(job) .. ':events' end
        local function append(job, json)
          local key = job_key(job)
          local seq = redis.call('HINCRBY', key, 'seq', 1)
          redis.call('XADD', events_key(job), '0-' .. seq, 'j', json)
          redis.call('PUBLISH', events_channel, job)
          return seq
        end
        local function announce()
          local rank = 0
          for _, job in ipairs(redis.call('ZRANGE', waiting, 0, -1)) do
            local key = job_key(job)
            if redis.call('EXISTS', key) == 0 then
              redis.call('ZREM', waiting, job) -- expired while it waited: nothing to tell
            elseif tonumber(redis.call('HGET', key, 'pos')) ~= rank then
              redis.call('HSET', key, 'pos', rank)
              append(job, '{"$type":"queued","Position":' .. rank .. '}')
              rank = rank + 1
            else
              rank = rank + 1
            end
          end
        end
        local function expire(job, ms)
          local key = job_key(job)
          local crid = redis.call('HGET', key, 'crid')
          if crid and crid ~= '' then redis.call('PEXPIRE', crid, ms) end
          redis.call('PEXPIRE', key, ms)
          redis.call('PEXPIRE', events_key(job), ms)
        end
        local function retire(job, now, retention, keep)
          redis.call('ZADD', finished, now, job)
          redis.call('ZREMRANGEBYSCORE', finished, '-inf', '(' .. (tonumber(now) - tonumber(retention)))
          local extra = redis.call('ZCARD', finished) - tonumber(keep)
          if extra > 0 then
            for _, old in ipairs(redis.call('ZRANGE', finished, 0, extra - 1)) do
              local key = job_key(old)
              local crid = redis.call('HGET', key, 'crid')
              if crid and crid ~= '' then
                local bound = redis.call('GET', crid)
                if bound and string.sub(bound, 1, #old + 1) == old .. ' ' then redis.call('DEL', crid) end
              end
              redis.call('DEL', key, events_key(old))
            end
            redis.call('ZREMRANGEBYRANK', finished, 0, extra - 1)
          end
        end
        local function drop_tokens(key)
          local characters = tonumber(redis.call('HGET', key, 'characters') or '0')
          for i = 0, characters - 1 do redis.call('HDEL', key, 'c' .. i .. 't', 'c' .. i .. 'f') end
        end
        local function close(job, now, retention, keep)
          local key = job_key(job)
          drop_tokens(key)
          redis.call('HSET', key, 'finished', now)
          expire(job, retention)
          retire(job, now, retention, keep)
        end
        local function finish(job, state, reason, now, retention, keep)
          redis.call('HSET', job_key(job), 'state', state, 'reason', reason)
          append(job, '{"$type":"ended","State":"' .. state .. '","Reason":' .. cjson.encode(reason) .. '}')
          close(job, now, retention, keep)
        end
        local function release(entry, group)
          redis.call('XACK', queue, group, entry)
          redis.call('XDEL', queue, entry)
        end

        """;

    /// <summary>
    /// Admits a job. ARGV: prefix, job id, bound (waiting jobs), time to live of an unfinished job (ms), then the hash's
    /// field/value pairs. Marks its client request id's binding (field <c>crid</c>) admitted, with the job's time to live.
    /// Returns the queue position, or -1 when <c>bound</c> jobs already wait.
    /// </summary>
    public const string Admit = Prelude + """
        local job, bound, ttl = ARGV[2], tonumber(ARGV[3]), ARGV[4]
        if redis.call('ZCARD', waiting) >= bound then return -1 end
        local key = job_key(job)
        redis.call('HSET', key, unpack(ARGV, 5))
        local entry = redis.call('XADD', queue, '*', 'job', job)
        redis.call('ZADD', waiting, redis.call('INCR', admitted), job)
        local pos = redis.call('ZCARD', waiting) - 1
        redis.call('HSET', key, 'entry', entry, 'state', 'Queued', 'pos', pos, 'seq', 0, 'attempt', 0, 'handbacks', 0)
        append(job, '{"$type":"queued","Position":' .. pos .. '}')
        local crid = redis.call('HGET', key, 'crid')
        if crid and crid ~= '' then
          local binding = redis.call('GET', crid)
          if binding then
            local named, hash = string.match(binding, '^(%S+) (%S+) ')
            if named == job then redis.call('SET', crid, job .. ' ' .. hash .. ' admitted') end
          end
        end
        expire(job, ttl)
        redis.call('PUBLISH', work_channel, job)
        return pos
        """;

    /// <summary>
    /// Takes the next queued job for a pod. ARGV: prefix, group, consumer (the pod). Returns nil when none waits, else
    /// {entry id, job id, attempt}; attempt 0 means the entry's job had already ended (cancelled) and was dropped.
    /// </summary>
    public const string Take = Prelude + """
        local group, consumer = ARGV[2], ARGV[3]
        local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', 1, 'STREAMS', queue, '>')
        if not read or #read[1][2] == 0 then return nil end
        local entry = read[1][2][1]
        local id, job = entry[1], entry[2][2]
        redis.call('ZREM', waiting, job)
        local key = job_key(job)
        if redis.call('HGET', key, 'state') ~= 'Queued' then
          release(id, group)
          announce()
          return {id, job, 0}
        end
        local attempt = redis.call('HINCRBY', key, 'attempt', 1)
        redis.call('HSET', key, 'state', 'Running', 'pod', consumer, 'pos', 0)
        announce()
        return {id, job, attempt}
        """;

    /// <summary>
    /// Takes over a running job whose pod has not renewed its claim for ARGV[4] ms. ARGV: prefix, group, consumer,
    /// min idle (ms), max attempts, now (unix ms), retention (ms), finished jobs kept, scan cursor (XAUTOCLAIM looks at
    /// ten pending entries a call; the cursor walks the rest on later calls). Returns {next cursor} when there is none,
    /// else {next cursor, entry id, job id, attempt, why}: attempt 0 when the job had already ended, -1 when it has now
    /// failed for good.
    /// </summary>
    public const string Reclaim = Prelude + """
        local group, consumer, min_idle, max_attempts = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
        local now, retention, keep, from = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
        local claimed = redis.call('XAUTOCLAIM', queue, group, consumer, min_idle, from, 'COUNT', 1)
        local cursor, entries = claimed[1], claimed[2]
        if #entries == 0 or not entries[1] then return {cursor} end
        local id, job = entries[1][1], entries[1][2][2]
        local key = job_key(job)
        if redis.call('HGET', key, 'state') ~= 'Running' then
          release(id, group)
          return {cursor, id, job, 0, ''}
        end
        local previous = redis.call('HGET', key, 'pod')
        local attempt = tonumber(redis.call('HGET', key, 'attempt'))
        local handbacks = tonumber(redis.call('HGET', key, 'handbacks') or '0')
        local why
        if redis.call('HGET', key, 'handedback') == '1' then
          why = 'pod ' .. previous .. ' shut down before attempt ' .. attempt .. ' finished'
        else
          why = 'pod ' .. previous .. ' stopped renewing its claim on attempt ' .. attempt .. ' for ' .. (tonumber(min_idle) / 1000) .. ' s (killed or cut off)'
        end
        if attempt - handbacks >= max_attempts then
          why = why .. '; the job was started ' .. attempt .. ' times, the most Cluster:MaxAttempts allows'
          finish(job, 'Failed', why, now, retention, keep)
          release(id, group)
          return {cursor, id, job, -1, why}
        end
        attempt = redis.call('HINCRBY', key, 'attempt', 1)
        redis.call('HSET', key, 'pod', consumer, 'handedback', 0)
        return {cursor, id, job, attempt, why}
        """;

    /// <summary>
    /// Appends an event from the pod running the job, fenced by its attempt. ARGV: prefix, job id, attempt, group,
    /// final (1/0), now (unix ms), retention (ms), finished jobs kept, event token (attempt:index, so that a retry after a
    /// lost reply is not appended twice), n, then n hash field/value pairs, then the entry's fields.
    /// Returns the sequence number, -1 when another attempt owns the job, -2 when the job is not running, -3 when its
    /// records are gone (Redis lost its data): <see cref="JobScriptResults.Append"/> decodes it.
    /// </summary>
    public const string Append = Prelude + """
        local job, attempt, group, final = ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1'
        local now, retention, keep, token, n = ARGV[6], ARGV[7], ARGV[8], ARGV[9], tonumber(ARGV[10])
        local key = job_key(job)
        if redis.call('EXISTS', key) == 0 then return -3 end
        if redis.call('HGET', key, 'attempt') ~= attempt then return -1 end
        if redis.call('HGET', key, 'lasttoken') == token then return tonumber(redis.call('HGET', key, 'seq')) end
        if redis.call('HGET', key, 'state') ~= 'Running' then return -2 end
        local seq = redis.call('HINCRBY', key, 'seq', 1)
        redis.call('HSET', key, 'lasttoken', token)
        if n > 0 then redis.call('HSET', key, unpack(ARGV, 11, 10 + 2 * n)) end
        redis.call('XADD', events_key(job), '0-' .. seq, unpack(ARGV, 11 + 2 * n))
        if final then
          release(redis.call('HGET', key, 'entry'), group)
          close(job, now, retention, keep)
        end
        redis.call('PUBLISH', events_channel, job)
        return seq
        """;

    /// <summary>
    /// Cancels a job. ARGV: prefix, job id, reason, now (unix ms), retention (ms), finished jobs kept. A queued job ends at once (returns
    /// "EndedNow"); a running one is flagged and its pod told on the cancel channel (returns "Running"); otherwise
    /// returns the state, or "Missing": <see cref="JobScriptResults.Cancel"/> decodes it.
    /// </summary>
    public const string Cancel = Prelude + """
        local job, reason, now, retention, keep = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
        local key = job_key(job)
        local state = redis.call('HGET', key, 'state')
        if not state then return 'Missing' end
        if state == 'Queued' then
          redis.call('XDEL', queue, redis.call('HGET', key, 'entry'))
          redis.call('ZREM', waiting, job)
          finish(job, 'Cancelled', reason, now, retention, keep)
          announce()
          return 'EndedNow'
        end
        if state == 'Running' then
          redis.call('HSET', key, 'cancel', reason)
          redis.call('PUBLISH', cancel_channel, job .. '\n' .. reason)
        end
        return state
        """;

    /// <summary>
    /// Renews a running attempt's claim (resets the entry's idle time). ARGV: prefix, job id, attempt, group, consumer.
    /// Returns {1, cancel reason or ''} while the attempt owns the job, else {0, ''}.
    /// </summary>
    public const string Renew = Prelude + """
        local job, attempt, group, consumer = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
        local key = job_key(job)
        if redis.call('HGET', key, 'attempt') ~= attempt or redis.call('HGET', key, 'state') ~= 'Running' then return {0, ''} end
        if redis.call('HGET', key, 'handedback') == '1' then return {0, ''} end
        redis.call('XCLAIM', queue, group, consumer, 0, redis.call('HGET', key, 'entry'), 'JUSTID')
        return {1, redis.call('HGET', key, 'cancel') or ''}
        """;

    /// <summary>
    /// Hands a running attempt back at shutdown so that another pod takes it over at once (its idle time set past any
    /// claim timeout). ARGV: prefix, job id, attempt, group, consumer. Returns 1 when handed back.
    /// </summary>
    public const string HandBack = Prelude + """
        local job, attempt, group, consumer = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
        local key = job_key(job)
        if redis.call('HGET', key, 'attempt') ~= attempt or redis.call('HGET', key, 'state') ~= 'Running' then return 0 end
        if redis.call('HGET', key, 'handedback') == '1' then return 1 end
        redis.call('HSET', key, 'handedback', 1)
        redis.call('HINCRBY', key, 'handbacks', 1)
        redis.call('XCLAIM', queue, group, consumer, 0, redis.call('HGET', key, 'entry'), 'IDLE', 1000000000, 'JUSTID')
        redis.call('PUBLISH', work_channel, job)
        return 1
        """;

    /// <summary>
    /// Binds a client request id. KEYS[1]: the binding. ARGV: prefix, new job id, parameter hash, time to live (ms).
    /// Returns {"new", job id} when the id was free (or its job was cancelled, failed or forgotten), {"bound", job id}
    /// for the same parameters, {"conflict", job id} for other ones. A binding whose job is not yet admitted is
    /// "bound" to a job that does not exist yet: the caller waits for it. <see cref="JobScriptResults.Bind"/> decodes it.
    /// </summary>
    public const string Bind = Prelude + """
        local binding, new_job, wanted, ttl = KEYS[1], ARGV[2], ARGV[3], ARGV[4]
        local current = redis.call('GET', binding)
        if current then
          local job, hash, phase = string.match(current, '^(%S+) (%S+) (%S+)$')
          local state = redis.call('HGET', job_key(job), 'state')
          local spent = state == 'Cancelled' or state == 'Failed' or (not state and phase == 'admitted')
          if not spent then
            if hash ~= wanted then return {'conflict', job} end
            return {'bound', job}
          end
        end
        redis.call('SET', binding, new_job .. ' ' .. wanted .. ' admitting', 'PX', ttl)
        return {'new', new_job}
        """;

    /// <summary>
    /// Removes a binding whose admission failed (KEYS[1]: the binding; ARGV: prefix, job id), only while it still names
    /// that job and is still being admitted: a job that was admitted keeps its binding.
    /// </summary>
    public const string Unbind = Prelude + """
        local binding, job = KEYS[1], ARGV[2]
        local current = redis.call('GET', binding)
        if current and current == job .. ' ' .. string.match(current, '^%S+ (%S+) ') .. ' admitting' then
          redis.call('DEL', binding)
          return 1
        end
        return 0
        """;

    /// <summary>Counts a Generate stream on an existing job. ARGV: prefix, job id, +1, −1, or 0 to read it. Returns the count, or -1 when the job is gone.</summary>
    public const string Attach = Prelude + """
        local job, delta = ARGV[2], ARGV[3]
        local key = job_key(job)
        if redis.call('EXISTS', key) == 0 then return -1 end
        return redis.call('HINCRBY', key, 'attached', delta)
        """;
}
