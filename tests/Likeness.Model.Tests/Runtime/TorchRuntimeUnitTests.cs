using System.Runtime.InteropServices;
using Likeness.Model.Runtime;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Runtime;

public sealed class TorchRuntimeUnitTests
{
    [Fact]
    public void EnsureLoaded_OnThisHost_RunsATensorOp()
    {
        TorchRuntime.EnsureLoaded();

        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var product = a.matmul(a);

        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }

    [Fact]
    public void EnsureLoaded_PatchesOnlyWhenLibstdcxxLacksGlibcxx3432()
    {
        var info = TorchRuntime.EnsureLoaded();

        Assert.Equal(!SystemLibstdcxxHas("GLIBCXX_3.4.32"), info.Patched);
        Assert.Equal(info.Patched, info.LibraryPath.StartsWith(Path.GetTempPath(), StringComparison.Ordinal));
    }

    [Fact]
    public void EnsureLoaded_ClearsLibTorchsNnpackFlag_SoUnsupportedCpusNeverLogItsWarning()
    {
        var info = TorchRuntime.EnsureLoaded();

        Assert.True(info.NnpackDisabled);
        Assert.False(Likeness.Model.Runtime.Internal.Nnpack.IsEnabled(info.TorchCpuLibraryPath!));

        // Convolutions still run (through oneDNN or the native kernels), in every shape that could have picked NNPACK.
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var output = nn.functional.conv2d(randn(16, 4, 16, 16), randn(8, 4, 3, 3), padding: [1, 1]);
        Assert.Equal(new long[] { 16, 8, 16, 16 }, output.shape);
    }

    /// <summary>Reads the version definitions of the libstdc++ this process would load.</summary>
    private static bool SystemLibstdcxxHas(string version)
    {
        var handle = NativeLibrary.Load("libstdc++.so.6");
        try
        {
            var maps = File.ReadAllLines("/proc/self/maps");
            var path = maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
                .First(p => p is not null && p.Contains("libstdc++.so.6", StringComparison.Ordinal))!;
            var bytes = File.ReadAllBytes(path);
            return bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(version + "\0")) >= 0;
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }
}
