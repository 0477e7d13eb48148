using Likeness.Generation.Board;
using Likeness.Generation.Board.Redis;
using Likeness.Generation.Consistency;
using Likeness.Generation.Requests;
using Likeness.Identity.Regions;
using StackExchange.Redis;

namespace Likeness.Generation.Tests.Board.Redis;

/// <summary>What a pod writes to Redis, another reads back the same: requests and every kind of event.</summary>
public sealed class JobRecordCodecUnitTests
{
    [Fact]
    public void Request_RoundTrips_WithKeyframedRegionsAndEveryParameter()
    {
        var request = new GenerationRequest
        {
            Prompt = "two characters \"talk\" — ünïcode",
            Characters =
            [
                new CharacterRequest("id-a", 0.8f, DefaultFraming.For(0, 2)) { DefaultRegion = true },
                new CharacterRequest("id-b", 0.25f, new RegionTrack(new NormalizedBox(0.5f, 0, 0.5f, 1), [(0f, new NormalizedBox(0.5f, 0, 0.5f, 1)), (1f, new NormalizedBox(0.1f, 0.2f, 0.3f, 0.4f))])),
            ],
            Frames = 12,
            Shots =
            [
                new ShotRequest("a cut", 4, [new CharacterRequest("id-a", 0.8f, DefaultFraming.For(0, 1)) { DefaultRegion = true }], [0], ContinuePrevious: false),
                new ShotRequest("goes on", 8, [new CharacterRequest("id-b", 0.5f, RegionTrack.WholeFrame)], [1], ContinuePrevious: true),
            ],
            Chunking = new ChunkSettings(16, 4),
            Extension = new ExtensionRequest(null, 3, "ab12"),
            Width = 64,
            Height = 64,
            Fps = 8,
            Steps = 20,
            GuidanceScale = 3.5f,
            Seed = (1UL << 53) - 1,
            Scheduler = DenoisingScheduler.Ddim,
            Preview = new PreviewSettings(5, 128, ContactSheet: true),
            FrameEncoding = FrameEncoding.Rgb8,
            ClientRequestId = "retry-1",
        };

        var back = JobRecordCodec.DecodeRequest(JobRecordCodec.EncodeRequest(request));

        Assert.Equal(request.ParameterHash(), back.ParameterHash());
        Assert.Equal(request.ClientRequestId, back.ClientRequestId);
        Assert.Equal(request.Characters[1].Region.Keyframes, back.Characters[1].Region.Keyframes);
        Assert.Equal([true, false], back.Characters.Select(c => c.DefaultRegion));
    }

    public static TheoryData<JobEvent> Events() =>
    [
        new QueuedEvent(3),
        new StartedEvent(42, "model", Untrained: true, 8, 64, 64, 20) { Attempt = 2, RestartReason = "pod-1 stopped", Generator = "pod-2", Characters = [new CharacterRequest("id-a", 0.8f, DefaultFraming.For(0, 1)) { DefaultRegion = true }] },
        new StepEvent(5, 20, TimeSpan.FromMilliseconds(123.5), TimeSpan.FromSeconds(1.8)),
        new FrameEvent(3, [1, 2, 3, 0, 255], FrameEncoding.Png, 64, 64),
        new CompletedEvent(42, new JobTimings(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)),
            new ConsistencyReport([new CharacterConsistency("id-a", [0.5f, 0.25f], 0.375f, 0.1f, 0.2f, 0.3f, 0.35f, [0f, 0.1f], RegionTrack.WholeFrame, DefaultRegion: false)], Untrained: false), 8),
        new EndedEvent(JobState.Failed, "the pod stopped \"twice\""),
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void Event_RoundTrips_WithItsSequenceFromTheEntryId(JobEvent jobEvent)
    {
        var back = JobRecordCodec.Decode(new StreamEntry("0-17", JobRecordCodec.Encode(jobEvent)));

        Assert.Equal(17, back.Sequence);
        Assert.Equal(jobEvent.GetType(), back.GetType());
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize<object>(jobEvent with { Sequence = 17 }), System.Text.Json.JsonSerializer.Serialize<object>(back));
    }

    [Fact]
    public void Preview_KeepsEveryImageAsRawBytes_InOrder()
    {
        var images = Enumerable.Range(0, 12).Select(i => new byte[] { (byte)i, 0x89, (byte)'P' }).ToList();

        var fields = JobRecordCodec.Encode(new PreviewEvent(4, images));
        var back = (PreviewEvent)JobRecordCodec.Decode(new StreamEntry("0-2", fields));

        Assert.Equal(13, fields.Length);
        Assert.DoesNotContain("iVBO", (string)fields[0].Value!, StringComparison.Ordinal); // no base64 in the JSON
        Assert.Equal(images, back.Images);
    }

    [Fact]
    public void EventsTheScriptsWrite_Decode()
    {
        var queued = JobRecordCodec.Decode(new StreamEntry("0-1", [new NameValueEntry("j", "{\"$type\":\"queued\",\"Position\":4}")]));
        var ended = JobRecordCodec.Decode(new StreamEntry("0-9", [new NameValueEntry("j", "{\"$type\":\"ended\",\"State\":\"Cancelled\",\"Reason\":\"by \\\"CancelJob\\\"\"}")]));

        Assert.Equal(new QueuedEvent(4) { Sequence = 1 }, queued);
        Assert.Equal(new EndedEvent(JobState.Cancelled, "by \"CancelJob\"") { Sequence = 9 }, ended);
    }
}
