using Likeness.Generation.Consistency;
using Likeness.Generation.Requests;

namespace Likeness.Generation.Board;

/// <summary>One event of a job; sequence numbers start at 1 and grow by one per event.</summary>
public abstract record JobEvent
{
    public long Sequence { get; init; }
}

/// <summary>The job waits for the device with <paramref name="Position"/> jobs ahead.</summary>
public sealed record QueuedEvent(int Position) : JobEvent;

/// <summary>The device began the job; a job run again after its pod stopped starts again with the same seed.</summary>
public sealed record StartedEvent(ulong Seed, string ModelId, bool Untrained, int Frames, int Width, int Height, int Steps) : JobEvent
{
    /// <summary>1 for the first run; 2 or more when the job is run again from the start after the pod running it stopped.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Why the job is run again; empty for the first attempt.</summary>
    public string RestartReason { get; init; } = "";

    /// <summary>The generator running this attempt (its consumer name); empty for a board of this process alone.</summary>
    public string Generator { get; init; } = "";

    /// <summary>The characters as run: the request's, with the default strength and framing filled in where it gave none.</summary>
    public IReadOnlyList<CharacterRequest> Characters { get; init; } = [];

    /// <summary>Chunks and shots the clip is made in; <see cref="Frames"/> counts the frames of all of them.</summary>
    public int TotalChunks { get; init; } = 1;

    public int TotalShots { get; init; } = 1;

    /// <summary>The first chunk this attempt makes: 0, or after a takeover the chunk after the last one finished.</summary>
    public int FirstChunk { get; init; }
}

/// <summary>Step <paramref name="Step"/> of <paramref name="TotalSteps"/> of chunk <see cref="Chunk"/>; <paramref name="Eta"/> covers the chunks after it too.</summary>
public sealed record StepEvent(int Step, int TotalSteps, TimeSpan StepTime, TimeSpan Eta) : JobEvent
{
    public int Chunk { get; init; }

    public int TotalChunks { get; init; } = 1;
}

/// <summary>PNGs of the current clean estimate of chunk <see cref="Chunk"/>'s new frames (from clip frame <see cref="FirstFrame"/>): one per frame, or a single contact sheet.</summary>
public sealed record PreviewEvent(int Step, IReadOnlyList<byte[]> Images) : JobEvent
{
    public int Chunk { get; init; }

    public int FirstFrame { get; init; }
}

/// <summary>Frame <paramref name="Index"/> of the clip, made by chunk <see cref="Chunk"/> in shot <see cref="Shot"/>.</summary>
public sealed record FrameEvent(int Index, byte[] Data, FrameEncoding Encoding, int Width, int Height) : JobEvent
{
    public int Chunk { get; init; }

    public int Shot { get; init; }
}

/// <summary>Every frame of chunk <paramref name="Chunk"/> (clip frames <paramref name="FirstFrame"/>.. , <paramref name="Frames"/> of them) has been published.</summary>
public sealed record ChunkFinishedEvent(int Chunk, int Shot, int FirstFrame, int Frames, int TotalChunks) : JobEvent;

public sealed record CompletedEvent(ulong Seed, JobTimings Timings, ConsistencyReport Report, int Fps) : JobEvent;

/// <summary>The job stopped without completing.</summary>
public sealed record EndedEvent(JobState State, string Reason) : JobEvent;

public sealed record JobTimings(TimeSpan Queued, TimeSpan LoadIdentities, TimeSpan Denoise, TimeSpan DecodeFrames, TimeSpan Report, TimeSpan Total);

public enum JobState
{
    Queued,
    Running,
    Completed,
    Cancelled,
    Failed,
}

public static class JobStates
{
    /// <summary>Completed, cancelled or failed: the job's last event has been published.</summary>
    public static bool IsFinal(this JobState state) => state is JobState.Completed or JobState.Cancelled or JobState.Failed;
}
