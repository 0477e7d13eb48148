using Likeness.Testing;

namespace Likeness.Clients.Tests.CrossLanguage;

/// <summary>The Node example client (@grpc/grpc-js, protos loaded at run time by @grpc/proto-loader) against the real services.</summary>
public sealed class NodeClientTests(SeparateServices services) : IClassFixture<SeparateServices>
{
    [Fact]
    public async Task NodeClient_EncodesGeneratesCancelsAndSeesBadInputRefused()
    {
        var frames = Directory.CreateTempSubdirectory("likeness-node-").FullName;

        using var client = await ChildProcess.RunAsync("node",
            [Repository.PathOf("tests/clients/node/likeness-client.mjs"), "--image", SeparateServices.FaceFile(8),
             "--encoder", services.EncoderTarget, "--generator", services.GeneratorTarget, "--token", services.Token, "--out", frames],
            TimeSpan.FromMinutes(3));

        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Contains("trained as rectified_flow, samples with SCHEDULER_EULER", client.Output, StringComparison.Ordinal);
        Assert.Matches(@"generated job_\w+: 4 previews, \d+ frames", client.Output);
        Assert.Matches(@"cancelled job_\w+ after \d+ step\(s\): cancelled by CancelJob", client.Output);
        Assert.Matches(@"long clip job_\w+: 24 frames in 2 chunks, resumed after sequence \d+; FaceSim per chunk -?\d\.\d{3}, -?\d\.\d{3}", client.Output);
        Assert.Contains("bad input: INVALID_ARGUMENT characters[0].identity_strength", client.Output, StringComparison.Ordinal);
        Assert.Contains("unknown identity: NOT_FOUND", client.Output, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(frames, "frame-*.png"));
    }
}
