using System.Runtime.InteropServices;

namespace Likeness.Model.Runtime.Internal;

/// <summary>Turns LibTorch's NNPACK convolution path off, so CPUs it does not support never try to initialise it.</summary>
/// <remarks>
/// LibTorch asks NNPACK whether it is available on every eligible convolution, and on CPUs NNPACK does not support
/// (these AMD EPYC machines) each ask logs <c>Could not initialize NNPACK! Reason: Unsupported hardware.</c> to stderr:
/// hundreds of lines a service log. The check is <c>userEnabledNNPACK() &amp;&amp; _nnpack_available()</c>, so clearing
/// the user flag, as PyTorch's <c>torch.backends.nnpack.set_flags(False)</c> does, skips it. TorchSharp exposes no
/// such switch, so <c>at::globalContext().setUserEnabledNNPACK(false)</c> is called through libtorch_cpu's exported
/// C++ symbols (Itanium ABI: a member function takes <c>this</c> as its first argument). Nothing is lost: x86 CPU
/// convolutions go through oneDNN, and NNPACK could not run here anyway.
/// </remarks>
internal static class Nnpack
{
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetUserEnabled = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private const string UserEnabled = "_ZNK2at7Context17userEnabledNNPACKEv";

    /// <summary>Clears the flag; false when this LibTorch build does not export the symbols (nothing is changed then).</summary>
    public static unsafe bool Disable(string torchCpuLibrary)
    {
        if (!NativeLibrary.TryLoad(torchCpuLibrary, out var library)
            || !NativeLibrary.TryGetExport(library, GlobalContext, out var globalContext)
            || !NativeLibrary.TryGetExport(library, SetUserEnabled, out var setUserEnabled))
        {
            return false;
        }

        var context = ((delegate* unmanaged<nint>)globalContext)();
        ((delegate* unmanaged<nint, byte, void>)setUserEnabled)(context, 0);
        return true;
    }

    /// <summary>LibTorch's own reading of the flag, or null when the build does not export it (for tests).</summary>
    public static unsafe bool? IsEnabled(string torchCpuLibrary)
    {
        if (!NativeLibrary.TryLoad(torchCpuLibrary, out var library)
            || !NativeLibrary.TryGetExport(library, GlobalContext, out var globalContext)
            || !NativeLibrary.TryGetExport(library, UserEnabled, out var userEnabled))
        {
            return null;
        }

        var context = ((delegate* unmanaged<nint>)globalContext)();
        return ((delegate* unmanaged<nint, byte>)userEnabled)(context) != 0;
    }
}
