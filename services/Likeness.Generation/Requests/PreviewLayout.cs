namespace Likeness.Generation.Requests;

/// <summary>How a preview lays out the frames. Values are the wire numbers of <c>likeness.generation.v1.PreviewFormat</c>.</summary>
public enum PreviewLayout
{
    /// <summary>Every frame as its own image.</summary>
    Frames = 1,

    /// <summary>One image holding every frame in a grid.</summary>
    ContactSheet = 2,
}
