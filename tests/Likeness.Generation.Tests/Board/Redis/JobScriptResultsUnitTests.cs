using Likeness.Generation.Board.Redis;
using StackExchange.Redis;

namespace Likeness.Generation.Tests.Board.Redis;

/// <summary>Every answer the job scripts give decodes to a named outcome; an answer they never give is refused.</summary>
public sealed class JobScriptResultsUnitTests
{
    [Theory]
    [InlineData(7L, nameof(AppendResult.Appended))]
    [InlineData(-1L, nameof(AppendResult.Superseded))]
    [InlineData(-2L, nameof(AppendResult.NotRunning))]
    [InlineData(-3L, nameof(AppendResult.Gone))]
    public void Append_DecodesEveryAnswer(long answer, string expected) =>
        Assert.Equal(expected, JobScriptResults.Append(RedisResult.Create(answer)).Result.ToString());

    [Theory]
    [InlineData("EndedNow", nameof(CancelResult.EndedNow))]
    [InlineData("Running", nameof(CancelResult.Flagged))]
    [InlineData("Completed", nameof(CancelResult.AlreadyEnded))]
    [InlineData("Cancelled", nameof(CancelResult.AlreadyEnded))]
    [InlineData("Failed", nameof(CancelResult.AlreadyEnded))]
    [InlineData("Missing", nameof(CancelResult.Missing))]
    public void Cancel_DecodesEveryAnswer(string answer, string expected) =>
        Assert.Equal(expected, JobScriptResults.Cancel(RedisResult.Create((RedisValue)answer)).ToString());

    [Fact]
    public void Answers_TheScriptsNeverGive_AreRefused()
    {
        Assert.Throws<InvalidDataException>(() => JobScriptResults.Append(RedisResult.Create(0L)));
        Assert.Throws<InvalidDataException>(() => JobScriptResults.Cancel(RedisResult.Create((RedisValue)"Queued")));
    }

    [Fact]
    public void TakeAndReclaim_DecodeEachShapeOfAnswer()
    {
        Assert.Equal(TakeResult.NoneWaiting, JobScriptResults.Take(RedisResult.Create(RedisValue.Null)).Result);
        Assert.Equal(TakeResult.AlreadyEnded, JobScriptResults.Take(Array("1-0", "job_a", 0)).Result);
        Assert.Equal((TakeResult.Taken, "job_a", 2), JobScriptResults.Take(Array("1-0", "job_a", 2)) is var t ? (t.Result, t.JobId, t.Attempt) : default);
        Assert.Equal(ReclaimResult.NoneLapsed, JobScriptResults.Reclaim(Array("0-0")).Result);
        Assert.Equal(ReclaimResult.AlreadyEnded, JobScriptResults.Reclaim(Array("0-0", "1-0", "job_a", 0, "")).Result);
        Assert.Equal(ReclaimResult.FailedForGood, JobScriptResults.Reclaim(Array("0-0", "1-0", "job_a", -1, "why")).Result);
        Assert.Equal(ReclaimResult.TakenOver, JobScriptResults.Reclaim(Array("0-0", "1-0", "job_a", 3, "why")).Result);
        Assert.Equal(new RenewOutcome(true, "stop"), JobScriptResults.Renew(Array(1, "stop")));
        Assert.Equal(new RenewOutcome(false, ""), JobScriptResults.Renew(Array(0, "")));
    }

    private static RedisResult Array(params object[] items) => RedisResult.Create(
        [.. items.Select(i => i switch { int n => RedisResult.Create((RedisValue)n), string s => RedisResult.Create((RedisValue)s), _ => throw new ArgumentException("int or string") })]);
}
