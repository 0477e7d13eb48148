using Likeness.Generation.Board;
using Likeness.Generation.Board.Local;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Likeness.Generation.Tests.Board;

/// <summary>The job-board contract on the board of this process alone, its clock a <see cref="FakeTimeProvider"/>.</summary>
public sealed class LocalJobBoardContractTests : JobBoardContract
{
    private readonly FakeTimeProvider time = new();

    protected override TimeSpan Retention => TimeSpan.FromMinutes(10);

    protected override IJobBoard CreateBoard(GeneratorOptions options, JobOutcomes outcomes) => new LocalJobBoard(options, outcomes, time);

    protected override void Tick() => time.Advance(TimeSpan.FromSeconds(1));

    protected override Task LetRetentionPassAsync()
    {
        time.Advance(Retention + TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }
}

/// <summary>What only the board of this process does: it bounds the frames its finished jobs keep.</summary>
public sealed class LocalJobBoardRetentionTests
{
    [Fact]
    public async Task FinishedJobs_WhoseFramesExceedTheBound_AreForgottenOldestFirst()
    {
        var time = new FakeTimeProvider();
        using var board = new LocalJobBoard(new GeneratorOptions { MaxFinishedJobBytes = 250_000 }, new JobOutcomes(new GenerationMetrics(new JobBoardContract.Meters()), time, NullLogger<JobOutcomes>.Instance), time);
        var jobs = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var request = JobBoardContract.Request("", "a character talks");
            var characters = request.Characters.Select(c => new Likeness.Generation.Identities.LoadedCharacter(c, new float[16 * 8], new float[512])).ToList();
            jobs.Add((await board.SubmitAsync(request, "", _ => Task.FromResult(new PreparedJob(characters, TimeSpan.Zero)), default)).Id);
            var run = board.Take(default);
            run.Publish(new FrameEvent(0, new byte[100_000], Likeness.Generation.Requests.FrameEncoding.Rgb8, 1, 1));
            run.Publish(new EndedEvent(JobState.Failed, "done"));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await board.SubmitAsync(JobBoardContract.Request("", "one more"), "", _ => Task.FromResult(new PreparedJob([], TimeSpan.Zero)), default);

        // 100 kB each: the two most recent fit in 250 kB, the older two are forgotten.
        Assert.Null(await board.FindAsync(jobs[0], default));
        Assert.Null(await board.FindAsync(jobs[1], default));
        Assert.NotNull(await board.FindAsync(jobs[2], default));
        Assert.NotNull(await board.FindAsync(jobs[3], default));
    }
}
