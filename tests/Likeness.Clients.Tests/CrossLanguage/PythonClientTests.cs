using Likeness.Testing;

namespace Likeness.Clients.Tests.CrossLanguage;

/// <summary>
/// The Python example client (grpcio from Debian's python3-grpcio, stubs generated from protos/ by Debian's protoc)
/// against the real services: the contract works from Python as docs/clients.md shows it.
/// </summary>
public sealed class PythonClientTests(SeparateServices services) : IClassFixture<SeparateServices>
{
    /// <summary>Debian's interpreter: python3-grpcio is installed for it, not for another python3 earlier on PATH.</summary>
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task PythonClient_EncodesGeneratesCancelsFollowsALongClipAndSeesBadInputRefused()
    {
        var stubs = Directory.CreateTempSubdirectory("likeness-python-").FullName;
        var protos = Directory.GetFiles(Repository.PathOf("protos"), "*.proto", SearchOption.AllDirectories);
        using var protoc = await ChildProcess.RunAsync("protoc",
            ["-I", Repository.PathOf("protos"), "-I", "/usr/include", $"--python_out={stubs}", $"--grpc_out={stubs}",
             "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin", .. protos], Patience);
        Assert.True(protoc.ExitCode == 0, protoc.ToString());

        using var client = await ChildProcess.RunAsync(Python,
            [Repository.PathOf("tests/clients/python/likeness_client.py"), "--image", SeparateServices.FaceFile(7),
             "--encoder", services.EncoderTarget, "--generator", services.GeneratorTarget, "--token", services.Token],
            Patience, new Dictionary<string, string> { ["PYTHONPATH"] = stubs });

        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Contains("trained as rectified_flow, samples with SCHEDULER_EULER", client.Output, StringComparison.Ordinal);
        Assert.Matches(@"generated job_\w+: 4 previews, \d+ frames", client.Output);
        Assert.Matches(@"cancelled job_\w+ after \d+ step\(s\): cancelled by CancelJob", client.Output);
        Assert.Matches(@"long clip job_\w+: 24 frames in 2 chunks, resumed after sequence \d+; FaceSim per chunk -?\d\.\d{3}, -?\d\.\d{3}", client.Output);
        Assert.Contains("bad input: INVALID_ARGUMENT characters[0].identity_strength", client.Output, StringComparison.Ordinal);
        Assert.Contains("unknown identity: NOT_FOUND", client.Output, StringComparison.Ordinal);
    }
}
