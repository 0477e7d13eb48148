using System.Runtime.InteropServices;
using Likeness.Model.Runtime.Internal;

namespace Likeness.Model.Runtime;

/// <summary>Loads TorchSharp's native library once per process, working around an old libstdc++ only where needed. Call it before any other use of TorchSharp.</summary>
/// <remarks>
/// libLibTorchSharp.so 0.107.0 declares a need for <c>GLIBCXX_3.4.32</c> (GCC 13) for one symbol,
/// <c>std::ios_base_library_init()</c>, that no relocation uses. Hosts with GCC 12's libstdc++ (Debian 12)
/// refuse to load it. There, a copy with that version requirement marked weak is loaded by full path;
/// its soname then satisfies every later lookup by name, TorchSharp's own included. Hosts with a newer
/// libstdc++ load the original and nothing is patched. Once loaded, LibTorch's NNPACK path is switched off
/// (<see cref="Nnpack"/>), so a CPU NNPACK does not support cannot fill the logs with its warning.
/// </remarks>
public static class TorchRuntime
{
    private const string LibraryFileName = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private static readonly Lock Gate = new();
    private static TorchRuntimeInfo? info;

    /// <summary>Returns native memory freed by finished work to the system; call between jobs, not between steps.</summary>
    public static void ReleaseFreedMemory() => NativeAllocator.Trim();

    /// <summary>How the native library was loaded; loads it on first use.</summary>
    public static TorchRuntimeInfo EnsureLoaded()
    {
        lock (Gate)
        {
            return info ??= Load();
        }
    }

    private static TorchRuntimeInfo Load()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new TorchRuntimeInfo(LibraryFileName, Patched: false);
        }

        var nativeDirectory = FindNativeDirectory();
        var loaded = LoadTorchSharp(nativeDirectory);
        var torchCpu = Path.Combine(nativeDirectory, "libtorch_cpu.so");
        return loaded with { TorchCpuLibraryPath = torchCpu, NnpackDisabled = Nnpack.Disable(torchCpu) };
    }

    private static TorchRuntimeInfo LoadTorchSharp(string nativeDirectory)
    {
        var original = Path.Combine(nativeDirectory, LibraryFileName);
        try
        {
            NativeLibrary.Load(original);
            return new TorchRuntimeInfo(original, Patched: false);
        }
        catch (DllNotFoundException e) when (e.Message.Contains(MissingVersion, StringComparison.Ordinal))
        {
            // Dependencies are found through RUNPATH=$ORIGIN from the original folder only; load them first
            // so the patched copy, which lives elsewhere, resolves them by soname.
            foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            {
                NativeLibrary.Load(Path.Combine(nativeDirectory, dependency));
            }

            var patched = WeakVersionCopy(original);
            NativeLibrary.Load(patched);
            return new TorchRuntimeInfo(patched, Patched: true);
        }
    }

    private static string FindNativeDirectory()
    {
        var baseDirectory = AppContext.BaseDirectory;
        string[] candidates =
        [
            baseDirectory,
            Path.Combine(baseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"),
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native"),
        ];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, LibraryFileName)))
            ?? throw new DllNotFoundException(
                $"{LibraryFileName} was not found next to the application ({string.Join(", ", candidates)}).");
    }

    /// <summary>Writes (once per library build) a copy whose GLIBCXX_3.4.32 requirement is weak.</summary>
    private static string WeakVersionCopy(string original)
    {
        var bytes = File.ReadAllBytes(original);
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16];
        var directory = Path.Combine(Path.GetTempPath(), "likeness-native", key);
        var target = Path.Combine(directory, LibraryFileName);
        if (File.Exists(target))
        {
            return target;
        }

        if (!ElfVersionPatch.MarkVersionWeak(bytes, MissingVersion))
        {
            throw new DllNotFoundException($"{original} has no {MissingVersion} requirement to relax.");
        }

        Directory.CreateDirectory(directory);
        var temporary = $"{target}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: true);
        return target;
    }
}

/// <summary>Where TorchSharp's native library was loaded from, whether it is the patched copy, and whether NNPACK was switched off.</summary>
public sealed record TorchRuntimeInfo(string LibraryPath, bool Patched)
{
    /// <summary>True once LibTorch's NNPACK flag was cleared; false on builds that do not export it, and off Linux.</summary>
    public bool NnpackDisabled { get; init; }

    /// <summary>LibTorch's CPU library beside TorchSharp's (Linux), where the NNPACK flag lives.</summary>
    public string? TorchCpuLibraryPath { get; init; }
}
