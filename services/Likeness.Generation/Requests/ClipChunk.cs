namespace Likeness.Generation.Requests;

/// <summary>
/// One chunk of a clip: a denoising run that is given <paramref name="ContextFrames"/> frames made before it (0 for
/// the start of a cut) and makes <paramref name="Frames"/> new ones, the clip's frames
/// <paramref name="FirstFrame"/>.. of shot <paramref name="Shot"/>, whose first new frame is the shot's frame
/// <paramref name="ShotOffset"/>.
/// </summary>
public sealed record ClipChunk(int Index, int Shot, int FirstFrame, int Frames, int ContextFrames, int ShotOffset)
{
    /// <summary>Frames of the denoising run: context and new ones.</summary>
    public int RunFrames => ContextFrames + Frames;
}
