using CsCheck;
using Likeness.Generation.Requests;
using Likeness.Generation.Tests.Board;

namespace Likeness.Generation.Tests.Requests;

public sealed class ClipPlanUnitTests
{
    [Fact]
    public void Chunks_AClipThatFitsTheWindow_IsOneChunkWithNoContext()
    {
        Assert.Equal([new ClipChunk(0, 0, 0, 8, 0, 0)], ClipPlan.Chunks(Request(new ChunkSettings(16, 4), (8, false))));
    }

    [Fact]
    public void Chunks_ALongShot_EachChunkAfterTheFirstIsGivenTheLastContextFrames()
    {
        Assert.Equal(
            [new ClipChunk(0, 0, 0, 16, 0, 0), new ClipChunk(1, 0, 16, 12, 4, 16), new ClipChunk(2, 0, 28, 2, 4, 28)],
            ClipPlan.Chunks(Request(new ChunkSettings(16, 4), (30, false))));
    }

    [Fact]
    public void Chunks_ACutStartsFromNothing_AShotThatGoesOnIsGivenWhatCameBefore()
    {
        Assert.Equal(
            [new ClipChunk(0, 0, 0, 2, 0, 0), new ClipChunk(1, 1, 2, 6, 0, 0), new ClipChunk(2, 2, 8, 6, 2, 0)],
            ClipPlan.Chunks(Request(new ChunkSettings(8, 2), (2, false), (6, false), (6, true))));
    }

    [Fact]
    public void Chunks_AnExtension_GivesTheFirstChunkUpToTheContextOfItsFrames()
    {
        var request = Request(new ChunkSettings(8, 4), (10, true));

        Assert.Equal([new ClipChunk(0, 0, 0, 6, 2, 0), new ClipChunk(1, 0, 6, 4, 4, 6)], ClipPlan.Chunks(request, extensionFrames: 2));
    }

    [Fact]
    public void Chunks_AnyShotList_CoverEveryFrameOnceInOrder_WithinTheWindow_AndContextOnlyFromTheSameRunOfShots()
    {
        var shots = Gen.Select(Gen.Int[1, 40], Gen.Bool).Array[1, 6];
        Gen.Select(shots, Gen.Int[2, 16], Gen.Int[0, 8]).Sample((list, window, extension) =>
        {
            var context = Math.Max(1, window / 4);
            var request = Request(new ChunkSettings(window, context), list);
            var chunks = ClipPlan.Chunks(request, extension);

            Assert.Equal(Enumerable.Range(0, request.Frames), chunks.SelectMany(c => Enumerable.Range(c.FirstFrame, c.Frames)));
            Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Index));
            Assert.All(chunks, c => Assert.InRange(c.RunFrames, 1, window));
            Assert.All(chunks, c => Assert.InRange(c.ContextFrames, 0, context));
            // A chunk that begins a cut has no context; one inside a shot always has the full context.
            Assert.All(chunks.Where(c => c.ShotOffset == 0 && !request.Shots[c.Shot].ContinuePrevious), c => Assert.Equal(0, c.ContextFrames));
            Assert.All(chunks.Where(c => c.ShotOffset > 0), c => Assert.Equal(context, c.ContextFrames));
        });
    }

    [Fact]
    public void ChunkSeed_TheFirstIsTheJobsSeed_OthersDifferAndRepeat()
    {
        var seeds = Enumerable.Range(0, 100).Select(i => ClipPlan.ChunkSeed(42, i)).ToList();

        Assert.Equal(42ul, seeds[0]);
        Assert.Equal(100, seeds.Distinct().Count());
        Assert.Equal(seeds, Enumerable.Range(0, 100).Select(i => ClipPlan.ChunkSeed(42, i)));
        Assert.NotEqual(ClipPlan.ChunkSeed(43, 1), seeds[1]);
    }

    /// <summary>The board contract's request, its shots and chunking replaced.</summary>
    private static GenerationRequest Request(ChunkSettings chunking, params (int Frames, bool Continues)[] shots)
    {
        var request = JobBoardContract.Request("", "");
        return request with
        {
            Frames = shots.Sum(s => s.Frames),
            Shots = shots.Select(s => new ShotRequest("", s.Frames, request.Characters, [0], s.Continues)).ToList(),
            Chunking = chunking,
        };
    }
}
