using Likeness.Identity.Images;
using Likeness.Identity.Tokens;
using Likeness.Testing;

namespace Likeness.Identity.Tests.Fuzzing;

/// <summary>A short, bounded run of the parser fuzzer (the long one is <c>Likeness.Benchmarks fuzz</c>), from a fixed seed.</summary>
public sealed class ParserFuzzingTests
{
    [Theory]
    [InlineData("images")]
    [InlineData("tokens")]
    public void Fuzz_TenSeconds_FindsNoCrash(string target)
    {
        var crashes = Path.Combine(Repository.Root, "out", "test-artifacts", "fuzz-crashes");

        var result = ParserFuzzing.Run(target, TimeSpan.FromSeconds(10), crashes, seed: "0000000000000001");

        Assert.True(result.Crashes == 0, $"{result.Crashes} of {result.Inputs} inputs crashed {target}; see {crashes}");
        Assert.True(result.Inputs > 100, $"only {result.Inputs} inputs");
    }

    [Fact]
    public void Seeds_AreAcceptedUnchanged()
    {
        var decoder = new ReferenceDecoder(new ReferenceImageOptions());
        foreach (var file in Directory.GetFiles(Repository.PathOf("tests/fuzz/images")))
        {
            using var reference = decoder.Check(new ReferenceImage(File.ReadAllBytes(file)), 0);
        }

        foreach (var file in Directory.GetFiles(Repository.PathOf("tests/fuzz/tokens")))
        {
            Assert.Equal(2, TokenBlob.Decode(File.ReadAllBytes(file)).Tokens.TokenCount);
        }
    }
}
