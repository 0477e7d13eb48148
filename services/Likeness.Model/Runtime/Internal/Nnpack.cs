using System.Runtime.InteropServices;

namespace Likeness.Model.Runtime.Internal;

/// <summary>Turns LibTorch's NNPACK convolution path off, so a CPU NNPACK does not support never tries to initialise it.</summary>
/// <remarks>
/// Before an eligible CPU convolution (inference, oneDNN not chosen) LibTorch asks NNPACK whether it is available, and
/// on a CPU NNPACK does not support that ask logs <c>Could not initialize NNPACK! Reason: Unsupported hardware.</c> to
/// stderr, outside any .NET logger. The test is <c>userEnabledNNPACK() &amp;&amp; _nnpack_available() &amp;&amp; …</c>,
/// so clearing the user flag, as PyTorch's <c>torch.backends.nnpack.set_flags(False)</c> does, means NNPACK is never
/// asked. TorchSharp exposes no such switch, so <c>at::globalContext().setUserEnabledNNPACK(false)</c> is called through
/// libtorch_cpu's exported C++ symbols (Itanium ABI: a member function takes <c>this</c> as its first argument).
/// Nothing is lost: x86 CPU convolutions run through oneDNN or LibTorch's own kernels.
/// </remarks>
internal static class Nnpack
{
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetUserEnabled = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private const string UserEnabled = "_ZNK2at7Context17userEnabledNNPACKEv";

    /// <summary>Clears the flag; false when this LibTorch build does not export the symbols (nothing is changed then).</summary>
    public static unsafe bool Disable(string torchCpuLibrary)
    {
        if (Context(torchCpuLibrary, SetUserEnabled) is not { } found)
        {
            return false;
        }

        ((delegate* unmanaged<nint, byte, void>)found.Member)(found.Context, 0);
        return true;
    }

    /// <summary>LibTorch's own reading of the flag, or null when the build does not export it (for tests).</summary>
    public static unsafe bool? IsEnabled(string torchCpuLibrary) =>
        Context(torchCpuLibrary, UserEnabled) is { } found ? ((delegate* unmanaged<nint, byte>)found.Member)(found.Context) != 0 : null;

    /// <summary>LibTorch's global <c>at::Context</c> and one of its member functions, or null when either is not exported.</summary>
    private static unsafe (nint Context, nint Member)? Context(string torchCpuLibrary, string member)
    {
        if (!NativeLibrary.TryLoad(torchCpuLibrary, out var library)
            || !NativeLibrary.TryGetExport(library, GlobalContext, out var globalContext)
            || !NativeLibrary.TryGetExport(library, member, out var function))
        {
            return null;
        }

        return (((delegate* unmanaged<nint>)globalContext)(), function);
    }
}
