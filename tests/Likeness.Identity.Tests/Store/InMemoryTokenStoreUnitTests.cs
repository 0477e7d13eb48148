using Likeness.Identity.Store;

namespace Likeness.Identity.Tests.Store;

public sealed class InMemoryTokenStoreUnitTests
{
    private readonly ManualTime time = new();

    [Fact]
    public async Task Get_AfterTimeToLive_ReturnsNothing()
    {
        var store = new InMemoryTokenStore(new TokenStoreOptions(), time);
        await store.SetAsync("x", [1], TimeSpan.FromMinutes(5), default);

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(await store.GetAsync("x", default));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await store.GetAsync("x", default));
    }

    [Fact]
    public async Task Set_KeepsACopy_SoLaterChangesToTheArrayDoNotLeakIn()
    {
        var store = new InMemoryTokenStore(new TokenStoreOptions(), time);
        var blob = new byte[] { 1, 2 };
        await store.SetAsync("x", blob, null, default);

        blob[0] = 9;

        Assert.Equal(new byte[] { 1, 2 }, (await store.GetAsync("x", default))!.Data);
    }

    [Fact]
    public async Task Set_PastCapacity_EvictsTheEntriesClosestToExpiry()
    {
        var store = new InMemoryTokenStore(new TokenStoreOptions { InMemoryMaxEntries = 10 }, time);
        for (var i = 0; i < 10; i++)
        {
            await store.SetAsync($"k{i}", [(byte)i], TimeSpan.FromMinutes(10 + i), default);
        }

        await store.SetAsync("new", [42], TimeSpan.FromMinutes(1), default);

        Assert.Null(await store.GetAsync("k0", default));
        Assert.NotNull(await store.GetAsync("k9", default));
        Assert.NotNull(await store.GetAsync("new", default));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset now = DateTimeOffset.UnixEpoch.AddYears(56);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
