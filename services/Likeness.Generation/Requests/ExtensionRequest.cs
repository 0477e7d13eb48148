namespace Likeness.Generation.Requests;

/// <summary>
/// The clip a request continues: a job's frames (<paramref name="JobId"/>), or frames the client sent, known here by
/// their count and the SHA-256 (hex) of their bytes, so that the parameter hash tells two clips apart. The frames
/// themselves travel beside the request (<see cref="Board.PreparedJob.ExtensionFrames"/>), fitted to the frame size.
/// </summary>
public sealed record ExtensionRequest(string? JobId, int SentFrames, string SentFramesSha256);
