using Likeness.Generation.Board;
using Likeness.Generation.Board.Local;
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
