using Likeness.Generation.Requests;
using Likeness.Media;

namespace Likeness.Generation.Running;

/// <summary>
/// The last frames made (or given, for an extension), as published in 8-bit RGB: the next chunk's context. Kept as
/// published so that a chunk made after a takeover, from frames read back from the job's events, is given the same
/// values as in an uninterrupted run. Holds at most the chunk settings' context frames.
/// </summary>
internal sealed class RecentFrames(int capacity, IReadOnlyList<byte[]> initial)
{
    private readonly List<byte[]> frames = [.. initial.TakeLast(capacity)];

    /// <summary>The frame just before <paramref name="chunk"/> when it continues one; null at a cut or with nothing before it.</summary>
    public byte[]? Before(ClipChunk chunk) => chunk.ContextFrames > 0 && frames.Count > 0 ? frames[^1] : null;

    /// <summary>The chunk's context: its last <see cref="ClipChunk.ContextFrames"/> frames as [frames, 3, H, W] values in -1..1.</summary>
    public float[] Context(ClipChunk chunk, int height, int width) =>
        ClipFrames.FromRgb8(frames.TakeLast(chunk.ContextFrames).ToList(), height, width).Values;

    /// <summary>Adds a chunk's new frames; a chunk that starts a cut drops what came before.</summary>
    public void Add(ClipChunk chunk, IReadOnlyList<byte[]> made)
    {
        if (chunk.ContextFrames == 0)
        {
            frames.Clear();
        }

        frames.AddRange(made);
        frames.RemoveRange(0, Math.Max(0, frames.Count - capacity));
    }
}
