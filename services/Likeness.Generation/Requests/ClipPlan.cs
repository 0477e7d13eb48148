namespace Likeness.Generation.Requests;

/// <summary>
/// Cuts a clip into chunks the model's window can make, and seeds each: a pure function of the validated request, so a
/// chunk can be made again alone, by any generator, with the same frames.
/// </summary>
public static class ClipPlan
{
    /// <summary>
    /// The chunks of <paramref name="request"/>, in order. A shot that is a cut starts with a chunk of no context; every
    /// other chunk (and a shot's first when it continues the frames before it, the extended clip's included) is given up
    /// to <see cref="ChunkSettings.Context"/> of the frames just before it and makes up to
    /// <see cref="ChunkSettings.Frames"/> minus that many. A clip of one shot that fits the window is one chunk, made
    /// exactly as before chunks existed.
    /// </summary>
    /// <param name="extensionFrames">Frames of the clip being continued that are at hand (0 when none).</param>
    public static IReadOnlyList<ClipChunk> Chunks(GenerationRequest request, int extensionFrames = 0)
    {
        var chunks = new List<ClipChunk>();
        var (window, context) = (request.Chunking.Frames, request.Chunking.Context);
        var (first, available) = (0, extensionFrames);
        for (var s = 0; s < request.Shots.Count; s++)
        {
            var shot = request.Shots[s];
            available = shot.ContinuePrevious ? available : 0;
            for (var offset = 0; offset < shot.Frames;)
            {
                var given = Math.Min(context, available);
                var made = Math.Min(window - given, shot.Frames - offset);
                chunks.Add(new ClipChunk(chunks.Count, s, first, made, given, offset));
                (first, offset, available) = (first + made, offset + made, available + made);
            }
        }

        return chunks;
    }

    /// <summary>
    /// The noise seed of chunk <paramref name="chunk"/>: the job's seed for the first (so a clip of one chunk is what it
    /// always was), a SplitMix64 mix of the seed and the index for the others (Steele et al. 2014), so chunks do not
    /// share noise.
    /// </summary>
    public static ulong ChunkSeed(ulong seed, int chunk)
    {
        if (chunk == 0)
        {
            return seed;
        }

        var z = seed + ((ulong)chunk * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
