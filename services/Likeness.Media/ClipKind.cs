namespace Likeness.Media;

/// <summary>How a finished clip is written: <c>Auto</c> (MP4 when ffmpeg is installed, else GIF), <c>Mp4</c> or <c>Gif</c>.</summary>
public enum ClipKind
{
    Auto,
    Mp4,
    Gif,
}
