namespace Likeness.Generation.Requests;

/// <summary>
/// One validated shot of a clip: its prompt, its length in frames, the characters in it (each one of the request's
/// cast, with the strength and region it has in this shot; <paramref name="Cast"/> gives each one's index in
/// <see cref="GenerationRequest.Characters"/>) and whether it continues the frames before it or is a cut.
/// </summary>
public sealed record ShotRequest(string Prompt, int Frames, IReadOnlyList<CharacterRequest> Characters, IReadOnlyList<int> Cast, bool ContinuePrevious)
{
    /// <summary>Normalised time (0 first frame .. 1 last) of the shot's frame <paramref name="frame"/>, clamped: regions are keyed on it.</summary>
    public float Time(int frame) => Frames == 1 ? 0 : Math.Clamp(frame / (float)(Frames - 1), 0, 1);
}
