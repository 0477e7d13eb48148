using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Likeness.Identity.Regions;

namespace Likeness.Generation.Requests;

/// <summary>
/// A validated request for one clip, with every default filled in: made only by <see cref="GenerationRequestValidator"/>
/// from a <see cref="ReceivedGenerationRequest"/>, so every number is finite and in range and every enum value known.
/// </summary>
public sealed record GenerationRequest
{
    public required string Prompt { get; init; }

    /// <summary>The cast: every identity the clip uses, with its strength and region when it has the clip to itself (one shot).</summary>
    public required IReadOnlyList<CharacterRequest> Characters { get; init; }

    /// <summary>Frames of the whole clip: the sum of the shots' frames.</summary>
    public required int Frames { get; init; }

    /// <summary>The shots in order, at least one; a request without shots is one shot of its prompt, cast and frames.</summary>
    public required IReadOnlyList<ShotRequest> Shots { get; init; }

    /// <summary>How the clip is cut into chunks.</summary>
    public required ChunkSettings Chunking { get; init; }

    /// <summary>The clip this one continues; null when it starts from nothing.</summary>
    public ExtensionRequest? Extension { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int Fps { get; init; }

    public required int Steps { get; init; }

    public required float GuidanceScale { get; init; }

    /// <summary>The seed asked for, or null for a random one.</summary>
    public required ulong? Seed { get; init; }

    public required DenoisingScheduler Scheduler { get; init; }

    public required PreviewSettings Preview { get; init; }

    public required FrameEncoding FrameEncoding { get; init; }

    /// <summary>Makes a retry attach to the same job; empty when not given.</summary>
    public required string ClientRequestId { get; init; }

    /// <summary>
    /// SHA-256 (hex) of every parameter that shapes the clip, defaults filled in, <see cref="ClientRequestId"/> left out:
    /// a client request id is bound to it, so a retry that differs in anything but the id is told apart.
    /// </summary>
    public string ParameterHash()
    {
        var text = new StringBuilder("likeness-generation-request/v1\n");
        Append(text, Prompt.Length).Append(':').Append(Prompt).Append('\n');
        AppendCharacters(text, Characters);
        foreach (var shot in Shots)
        {
            text.Append(CultureInfo.InvariantCulture, $"shot {shot.Frames} {shot.ContinuePrevious} ");
            Append(text, shot.Prompt.Length).Append(':').Append(shot.Prompt).Append('\n');
            AppendCharacters(text, shot.Characters);
        }

        text.Append(CultureInfo.InvariantCulture, $"chunks {Chunking.Frames} {Chunking.Context}\n");
        if (Extension is { } extension)
        {
            text.Append(CultureInfo.InvariantCulture, $"extends {extension.JobId} {extension.SentFrames} {extension.SentFramesSha256}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{Frames} {Width}x{Height} {Fps}fps {Steps} steps {Scheduler} ");
        Append(text, GuidanceScale);
        text.Append(CultureInfo.InvariantCulture, $" seed {(Seed is { } seed ? seed.ToString(CultureInfo.InvariantCulture) : "random")}");
        text.Append(CultureInfo.InvariantCulture, $" preview {Preview.EveryNSteps} {Preview.MaxSide} {Preview.ContactSheet} {FrameEncoding}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void AppendCharacters(StringBuilder text, IReadOnlyList<CharacterRequest> characters)
    {
        foreach (var c in characters)
        {
            text.Append("character ").Append(c.IdentityId).Append(' ');
            Append(text, c.Strength);
            AppendBox(text, c.Region.Box);
            foreach (var (time, box) in c.Region.Keyframes)
            {
                text.Append(" @");
                Append(text, time);
                AppendBox(text, box);
            }

            text.Append('\n');
        }
    }

    private static StringBuilder Append(StringBuilder text, int value) => text.Append(value.ToString(CultureInfo.InvariantCulture));

    // Floats by their bits (−0 as 0): equal hashes mean identical parameters.
    private static StringBuilder Append(StringBuilder text, float value) =>
        text.Append(BitConverter.SingleToUInt32Bits(value == 0 ? 0f : value).ToString("x8", CultureInfo.InvariantCulture));

    private static void AppendBox(StringBuilder text, NormalizedBox box)
    {
        foreach (var v in (float[])[box.X, box.Y, box.Width, box.Height])
        {
            Append(text.Append(' '), v);
        }
    }
}

/// <summary>One character: whose identity, how strongly, and where.</summary>
public sealed record CharacterRequest(string IdentityId, float Strength, RegionTrack Region)
{
    /// <summary>True when the request gave no region and <see cref="Region"/> is <see cref="DefaultFraming"/>'s.</summary>
    public bool DefaultRegion { get; init; }
}

/// <summary>Previews every <see cref="EveryNSteps"/> steps (0: none) at <see cref="MaxSide"/> px, per frame or as one contact sheet.</summary>
public sealed record PreviewSettings(int EveryNSteps, int MaxSide, bool ContactSheet);

/// <summary>How each final frame is encoded. Values are the wire numbers of <c>likeness.generation.v1.FrameFormat</c>.</summary>
public enum FrameEncoding
{
    Png = 1,

    /// <summary>Interleaved 8-bit RGB, row-major.</summary>
    Rgb8 = 2,
}
