using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Likeness.Generation.Identities;
using Likeness.Generation.Requests;
using StackExchange.Redis;

namespace Likeness.Generation.Board.Redis;

/// <summary>
/// How a job's request and events are kept in Redis. An event is one stream entry: field <c>j</c> holds its JSON (a
/// <c>$type</c> discriminator first, then its properties; enums by name) and fields <c>b0</c>, <c>b1</c>, … hold its
/// images as raw bytes, so frames and previews are stored as encoded, not as base64. The scripts in
/// <see cref="JobScripts"/> write the queued and ended events they make in the same form.
/// </summary>
internal static class JobRecordCodec
{
    public const string JsonField = "j";

    private static readonly JsonSerializerOptions Options = new()
    {
        IncludeFields = true, // region keyframes are (time, box) tuples
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddEventKinds } },
    };

    /// <summary>The stream fields of <paramref name="jobEvent"/>: its JSON without images, then one field per image.</summary>
    public static NameValueEntry[] Encode(JobEvent jobEvent)
    {
        (JobEvent Bare, IReadOnlyList<byte[]> Images) split = jobEvent switch
        {
            PreviewEvent preview => (preview with { Images = [] }, preview.Images),
            FrameEvent frame => (frame with { Data = [] }, [frame.Data]),
            _ => (jobEvent, []),
        };
        var (bare, images) = split;
        var fields = new NameValueEntry[1 + images.Count];
        fields[0] = new NameValueEntry(JsonField, JsonSerializer.Serialize(bare, Options));
        for (var i = 0; i < images.Count; i++)
        {
            fields[i + 1] = new NameValueEntry("b" + i, images[i]);
        }

        return fields;
    }

    /// <summary>The event stored in <paramref name="entry"/>, whose id <c>0-n</c> carries its sequence number n.</summary>
    /// <exception cref="InvalidDataException">The entry is not a job event.</exception>
    public static JobEvent Decode(StreamEntry entry)
    {
        var sequence = Sequence(entry.Id);
        var json = entry[JsonField];
        if (json.IsNull)
        {
            throw new InvalidDataException($"Event {entry.Id} has no {JsonField} field.");
        }

        var jobEvent = JsonSerializer.Deserialize<JobEvent>((string)json!, Options) ?? throw new InvalidDataException($"Event {entry.Id} is null.");
        var images = entry.Values.Where(v => ((string)v.Name!).StartsWith('b')).OrderBy(v => int.Parse(((string)v.Name!)[1..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(v => (byte[])v.Value!).ToList();
        return (jobEvent switch
        {
            PreviewEvent preview => preview with { Images = images },
            FrameEvent frame => frame with { Data = images.Count > 0 ? images[0] : [] },
            _ => jobEvent,
        }) with { Sequence = sequence };
    }

    /// <summary>The sequence number n of stream entry id <c>0-n</c>.</summary>
    public static long Sequence(RedisValue entryId) => long.Parse(((string)entryId!)[2..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The job hash's fields holding each character's identity tokens and face embedding as raw float32 (little-endian),
    /// written at admission: <c>c{i}t</c> and <c>c{i}f</c>.
    /// </summary>
    public static IEnumerable<RedisValue> EncodeCharacters(IReadOnlyList<LoadedCharacter> characters) =>
        characters.SelectMany((c, i) => new RedisValue[]
        {
            $"c{i}t", MemoryMarshal.AsBytes(c.Tokens.AsSpan()).ToArray(), $"c{i}f", MemoryMarshal.AsBytes(c.FaceEmbedding.AsSpan()).ToArray(),
        });

    /// <summary>The field names <see cref="EncodeCharacters"/> writes for <paramref name="count"/> characters, in order.</summary>
    public static RedisValue[] CharacterFields(int count) =>
        Enumerable.Range(0, count).SelectMany(i => new RedisValue[] { $"c{i}t", $"c{i}f" }).ToArray();

    /// <exception cref="InvalidDataException">A character's fields are missing or not whole float32 values.</exception>
    public static IReadOnlyList<LoadedCharacter> DecodeCharacters(IReadOnlyList<CharacterRequest> requests, RedisValue[] values)
    {
        var characters = new List<LoadedCharacter>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            characters.Add(new LoadedCharacter(requests[i], Floats(values[2 * i], $"c{i}t"), Floats(values[(2 * i) + 1], $"c{i}f")));
        }

        return characters;

        static float[] Floats(RedisValue value, string field) =>
            value.IsNull || ((byte[])value!).Length % sizeof(float) != 0
                ? throw new InvalidDataException($"The job's field {field} is missing or not float32 values.")
                : MemoryMarshal.Cast<byte, float>((byte[])value!).ToArray();
    }

    /// <summary>
    /// The job hash's fields holding the frames a job continues, as interleaved RGB8, written at admission:
    /// <c>extension</c> (their count), then <c>x{i}</c>.
    /// </summary>
    public static IEnumerable<RedisValue> EncodeExtension(IReadOnlyList<byte[]> frames) =>
        new RedisValue[] { "extension", frames.Count }.Concat(frames.SelectMany((f, i) => new RedisValue[] { $"x{i}", f }));

    /// <summary>The frames <see cref="EncodeExtension"/> wrote, read through <paramref name="field"/>.</summary>
    /// <exception cref="InvalidDataException">A frame's field is missing.</exception>
    public static IReadOnlyList<byte[]> DecodeExtension(Func<RedisValue, RedisValue> field)
    {
        var count = field("extension") is { IsNullOrEmpty: false } value ? (int)value : 0;
        return Enumerable.Range(0, count)
            .Select(i => field($"x{i}") is { IsNull: false } frame ? (byte[])frame! : throw new InvalidDataException($"The job's field x{i} is missing."))
            .ToList();
    }

    public static string EncodeRequest(GenerationRequest request) => JsonSerializer.Serialize(request, Options);

    /// <exception cref="InvalidDataException">The stored request does not parse.</exception>
    public static GenerationRequest DecodeRequest(string json) =>
        JsonSerializer.Deserialize<GenerationRequest>(json, Options) ?? throw new InvalidDataException("The stored request is null.");

    /// <summary>The discriminator each event kind is stored under; the scripts write "queued" and "ended".</summary>
    private static void AddEventKinds(JsonTypeInfo info)
    {
        if (info.Type != typeof(JobEvent))
        {
            return;
        }

        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            DerivedTypes =
            {
                new JsonDerivedType(typeof(QueuedEvent), "queued"),
                new JsonDerivedType(typeof(StartedEvent), "started"),
                new JsonDerivedType(typeof(StepEvent), "step"),
                new JsonDerivedType(typeof(PreviewEvent), "preview"),
                new JsonDerivedType(typeof(FrameEvent), "frame"),
                new JsonDerivedType(typeof(ChunkFinishedEvent), "chunk"),
                new JsonDerivedType(typeof(CompletedEvent), "completed"),
                new JsonDerivedType(typeof(EndedEvent), "ended"),
            },
        };
    }
}
