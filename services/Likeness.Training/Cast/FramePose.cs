namespace Likeness.Training.Cast;

/// <summary>Everything about one frame that is not identity: where the face is, how it looks, how it is lit.</summary>
/// <param name="CentreX">Face centre, 0..1 of the frame width.</param>
/// <param name="CentreY">Face centre, 0..1 of the frame height.</param>
/// <param name="Scale">Face height as a fraction of the frame height.</param>
/// <param name="Yaw">Head turn, -1 (left) .. 1 (right).</param>
/// <param name="Blink">0 open .. 1 closed eyes.</param>
/// <param name="Smile">0 neutral .. 1 full smile.</param>
/// <param name="MouthOpen">0 closed .. 1 wide open.</param>
/// <param name="Light">Overall brightness multiplier, about 0.6..1.3.</param>
/// <param name="LightSide">Where the light comes from, -1 (left) .. 1 (right).</param>
public sealed record FramePose(float CentreX, float CentreY, float Scale, float Yaw, float Blink, float Smile, float MouthOpen, float Light, float LightSide);

/// <summary>A clip's backdrop: two colours and a pattern, fixed for the clip.</summary>
public sealed record ClipBackground(SkiaSharp.SKColor Top, SkiaSharp.SKColor Bottom, int Stripes);

/// <summary>One clip of one character: the backdrop and a pose per frame, plus what a caption says about the action.</summary>
public sealed record ClipScript(ClipBackground Background, IReadOnlyList<FramePose> Poses, string Action);
