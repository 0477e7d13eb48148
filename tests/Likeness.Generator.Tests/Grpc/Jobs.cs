using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Generator.Tests.Grpc;

internal static class Jobs
{
    /// <summary>A small, fast request: 4 frames of 32×32, 4 steps, previews every 2 steps.</summary>
    public static GenerateRequest Request(ulong? seed, params (string Id, float Strength, Box? Box)[] characters)
    {
        var request = new GenerateRequest
        {
            Prompt = "a character waves at the camera",
            NumFrames = 4,
            Width = 32,
            Height = 32,
            Steps = 4,
            Preview = new PreviewOptions { EveryNSteps = 2, MaxSide = 32 },
        };
        if (seed is { } s)
        {
            request.Seed = s;
        }

        foreach (var (id, strength, box) in characters)
        {
            request.Characters.Add(new Character { IdentityId = id, IdentityStrength = strength, Region = box is null ? null : new Region { Box = box } });
        }

        return request;
    }

    public static GenerateRequest Request(ulong? seed, string identity, float strength = 0.8f) => Request(seed, (identity, strength, null));

    public static async Task<List<JobEvent>> CollectAsync(AsyncServerStreamingCall<JobEvent> call)
    {
        var events = new List<JobEvent>();
        await foreach (var jobEvent in call.ResponseStream.ReadAllAsync())
        {
            events.Add(jobEvent);
        }

        return events;
    }

    public static List<byte[]> Frames(IEnumerable<JobEvent> events) =>
        events.Where(e => e.EventCase == JobEvent.EventOneofCase.Frame).Select(e => e.Frame.Image.Data.ToByteArray()).ToList();
}
