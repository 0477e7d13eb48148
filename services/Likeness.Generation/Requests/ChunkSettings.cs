namespace Likeness.Generation.Requests;

/// <summary>
/// How a clip is cut into chunks, fixed when the job is admitted so that whichever generator runs it makes the same
/// frames: each chunk is one denoising run of up to <paramref name="Frames"/> frames, of which a chunk that continues
/// the frames before it takes the last <paramref name="Context"/> as given.
/// </summary>
public sealed record ChunkSettings(int Frames, int Context);
