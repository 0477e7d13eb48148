using Likeness.Core.Errors;
using Likeness.Generation.Requests;
using Likeness.Media;

namespace Likeness.Generation.Board;

/// <summary>
/// Reads the frames a request continues, at admission: the last <see cref="ChunkSettings.Context"/> of those the client
/// sent, or of a completed job's, each decoded (at most <see cref="MaxSide"/> pixels a side) and fitted to the request's
/// frame size (<see cref="FrameImages.FitSquare"/>).
/// </summary>
public static class ExtensionFrames
{
    /// <summary>Longest side of a frame to continue, in pixels.</summary>
    public const int MaxSide = 4096;

    /// <param name="findJob">The job a request extends, as its caller may see it (the caller's own, or any for an admin).</param>
    /// <returns>Interleaved RGB8 frames of the request's size, in order; empty when the request extends nothing.</returns>
    /// <exception cref="LikenessException">
    /// INVALID_ARGUMENT naming <c>extend.frames[i]</c> (not an image, too large, RGB8 of the wrong length) or
    /// <c>extend.job_id</c> (the job has not completed, or has no frames); NOT_FOUND / PERMISSION_DENIED from
    /// <paramref name="findJob"/>.
    /// </exception>
    public static async Task<IReadOnlyList<byte[]>> LoadAsync(
        GenerationRequest request, IReadOnlyList<ReceivedGenerationRequest.ReceivedFrame> sent, IJobBoard board,
        Func<string, CancellationToken, Task<JobSnapshot>> findJob, CancellationToken cancellationToken)
    {
        var context = request.Chunking.Context;
        if (request.Extension is not { } extension)
        {
            return [];
        }

        if (extension.JobId is not { } jobId)
        {
            return sent.Skip(Math.Max(0, sent.Count - context))
                .Select((frame, i) => Fit(Decode(frame, $"extend.frames[{sent.Count - Math.Min(context, sent.Count) + i}]"), request.Width))
                .ToList();
        }

        var job = await findJob(jobId, cancellationToken);
        if (job.State != JobState.Completed)
        {
            throw LikenessException.InvalidArgument("extend.job_id", $"job {jobId} is {job.State.ToString().ToLowerInvariant()}; only a completed job's clip can be continued.");
        }

        var last = new Queue<FrameEvent>(context);
        await foreach (var jobEvent in board.ReadAsync(jobId, 0, cancellationToken))
        {
            if (jobEvent is FrameEvent frame)
            {
                last.Enqueue(frame);
                while (last.Count > context)
                {
                    last.Dequeue();
                }
            }
        }

        return last.Count > 0
            ? last.Select(f => Fit(f.Encoding == FrameEncoding.Rgb8 ? (f.Data, f.Width, f.Height) : FrameImages.DecodeRgb(f.Data), request.Width)).ToList()
            : throw LikenessException.InvalidArgument("extend.job_id", $"job {jobId} has no frames left to continue.");
    }

    private static (byte[] Rgb, int Width, int Height) Decode(ReceivedGenerationRequest.ReceivedFrame frame, string field)
    {
        if (frame.Rgb8)
        {
            return frame.Width is > 0 and <= MaxSide && frame.Height is > 0 and <= MaxSide && frame.Data.Length == (long)frame.Width * frame.Height * 3
                ? (frame.Data, frame.Width, frame.Height)
                : throw LikenessException.InvalidArgument(field, $"is RGB8 of {frame.Width}×{frame.Height} with {frame.Data.Length} bytes; it needs width × height × 3 bytes and sides of 1..{MaxSide}.");
        }

        try
        {
            return FrameImages.DecodeRgb(frame.Data, MaxSide);
        }
        catch (InvalidDataException e)
        {
            throw LikenessException.InvalidArgument(field, e.Message);
        }
    }

    private static byte[] Fit((byte[] Rgb, int Width, int Height) frame, int side) => FrameImages.FitSquare(frame.Rgb, frame.Width, frame.Height, side);
}
