using System.Security.Cryptography;
using System.Text;

namespace Likeness.Generation.Requests;

// The validation of a clip's length, its shots and the clip it extends.
public static partial class GenerationRequestValidator
{
    /// <summary>
    /// The shots: the request's own, or one shot of its prompt, cast and length (num_frames, one of the offered counts, or
    /// seconds at <paramref name="fps"/>).
    /// </summary>
    private static List<ShotRequest> Shots(
        ReceivedGenerationRequest request, List<CharacterRequest> cast, int fps, bool extends, GeneratorOptions options)
    {
        if (request.Shots.Count == 0)
        {
            return [new ShotRequest(request.Prompt, SingleShotFrames(request, fps, options), cast, [.. Enumerable.Range(0, cast.Count)], ContinuePrevious: extends)];
        }

        foreach (var (given, field) in new[] { (request.Frames is not null, "num_frames"), (request.Seconds is not null, "seconds") })
        {
            if (given)
            {
                throw Invalid(field, "cannot be sent with shots: each shot gives its own length.");
            }
        }

        if (request.Shots.Count > options.MaxShots)
        {
            throw Invalid("shots", $"has {request.Shots.Count} entries; the limit is {options.MaxShots}.");
        }

        var duplicate = cast.Select((c, i) => (c.IdentityId, i)).GroupBy(c => c.IdentityId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Invalid($"characters[{duplicate.Skip(1).First().i}].identity_id", "lists an identity already in characters; with shots each identity is listed once and shots name it.");
        }

        var shots = new List<ShotRequest>(request.Shots.Count);
        var seconds = 0d;
        for (var i = 0; i < request.Shots.Count; i++)
        {
            var shot = request.Shots[i];
            var field = $"shots[{i}]";
            if (shot.Prompt.Length > options.MaxPromptChars)
            {
                throw Invalid($"{field}.prompt", $"has {shot.Prompt.Length} characters; the limit is {options.MaxPromptChars}.");
            }

            if (!(float.IsFinite(shot.Seconds) && shot.Seconds > 0))
            {
                throw Invalid($"{field}.seconds", $"is {shot.Seconds}; a shot lasts a finite number of seconds above 0.");
            }

            if (shot.Characters.Count < 1 || shot.Characters.Count > options.MaxCharacters)
            {
                throw Invalid($"{field}.characters", $"has {shot.Characters.Count} entries; between 1 and {options.MaxCharacters} are accepted.");
            }

            var inShot = new List<CharacterRequest>(shot.Characters.Count);
            var castIndices = new List<int>(shot.Characters.Count);
            for (var j = 0; j < shot.Characters.Count; j++)
            {
                var received = shot.Characters[j];
                var characterField = $"{field}.characters[{j}]";
                var index = cast.FindIndex(c => c.IdentityId == received.IdentityId);
                var member = index >= 0 ? cast[index] : throw Invalid($"{characterField}.identity_id", $"'{received.IdentityId}' is not one of the request's characters; list every identity a shot uses in characters.");
                if (inShot.Any(c => c.IdentityId == received.IdentityId))
                {
                    throw Invalid($"{characterField}.identity_id", "appears twice in the shot.");
                }

                inShot.Add(Character(received, characterField, j, shot.Characters.Count, member.Strength, options));
                castIndices.Add(index);
            }

            if (i == 0 && shot.ContinuePrevious && !extends)
            {
                throw Invalid($"{field}.continue_previous", "the first shot has nothing before it to continue; set it only when the request extends a clip.");
            }

            seconds += shot.Seconds;
            shots.Add(new ShotRequest(shot.Prompt.Length > 0 ? shot.Prompt : request.Prompt, Frames(shot.Seconds, fps), inShot, castIndices, shot.ContinuePrevious));
        }

        return seconds <= options.MaxSeconds
            ? shots
            : throw Invalid("shots", $"add up to {seconds:0.###} s; the limit is {options.MaxSeconds} s (Generator:MaxSeconds).");
    }

    private static int SingleShotFrames(ReceivedGenerationRequest request, int fps, GeneratorOptions options)
    {
        if (request.Seconds is not { } seconds)
        {
            var frames = request.Frames ?? (uint)options.DefaultFrames;
            return options.FrameCounts.Any(f => f == frames)
                ? (int)frames
                : throw Invalid("num_frames", $"{frames} is not offered; use one of {string.Join(", ", options.FrameCounts)}, or seconds for a clip of any length.");
        }

        if (request.Frames is not null)
        {
            throw Invalid("num_frames", "cannot be sent with seconds: give the clip's length one way.");
        }

        return float.IsFinite(seconds) && seconds > 0 && seconds <= options.MaxSeconds
            ? Frames(seconds, fps)
            : throw Invalid("seconds", $"is {seconds}; it must be a number above 0 and at most {options.MaxSeconds} (Generator:MaxSeconds).");
    }

    /// <summary>round(seconds · fps), at least one frame.</summary>
    private static int Frames(float seconds, int fps) => Math.Max(1, (int)Math.Round((double)seconds * fps, MidpointRounding.AwayFromZero));

    private static ExtensionRequest? Extension(ReceivedGenerationRequest.Extension? extend, GeneratorOptions options)
    {
        if (extend is null)
        {
            return null;
        }

        var jobId = string.IsNullOrEmpty(extend.JobId) ? null : extend.JobId;
        switch ((extend.Frames.Count > 0, jobId is not null))
        {
            case (true, true):
                throw Invalid("extend", "gives both frames and job_id; send one of them.");
            case (false, false):
                throw Invalid("extend", "needs the frames of the clip to continue, or the job_id of a completed job.");
        }

        if (extend.Frames.Count > options.MaxExtensionFrames)
        {
            throw Invalid("extend.frames", $"has {extend.Frames.Count} frames; the limit is {options.MaxExtensionFrames} (only the last few are read: send those).");
        }

        if (jobId is { Length: > 64 })
        {
            throw Invalid("extend.job_id", $"has {jobId.Length} characters; job ids are at most 64.");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var frame in extend.Frames)
        {
            hash.AppendData(Encoding.ASCII.GetBytes($"{frame.Data.Length} {frame.Rgb8} {frame.Width}x{frame.Height}\n"));
            hash.AppendData(frame.Data);
        }

        return new ExtensionRequest(jobId, extend.Frames.Count, extend.Frames.Count == 0 ? "" : Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
