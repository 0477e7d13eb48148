using Likeness.Testing;

namespace Likeness.Clients.Tests.PreviewPage;

/// <summary>
/// The preview page's committed script (<c>Site/preview.js</c>, embedded in the generator) is what its sources build:
/// messages generated from the protos by protoc-gen-es, the page type-checked against them, bundled by esbuild.
/// </summary>
public sealed class PreviewPageScriptTests
{
    private const string Script = "services/Likeness.Generator/PreviewPage/Script";

    [Fact]
    public async Task ServedScript_RebuiltFromTheProtosAndSources_IsTheCommittedOne()
    {
        Assert.True(Directory.Exists(Repository.PathOf($"{Script}/node_modules")), $"run npm ci --prefix {Script} (test.sh does)");

        using var build = await ChildProcess.RunAsync("node", [Repository.PathOf($"{Script}/build.mjs"), "--check"], TimeSpan.FromMinutes(2));

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("matches the protos and src/", build.Output, StringComparison.Ordinal);
    }
}
