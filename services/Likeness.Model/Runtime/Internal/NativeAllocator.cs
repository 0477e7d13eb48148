using System.Runtime.InteropServices;

namespace Likeness.Model.Runtime.Internal;

/// <summary>Hands memory LibTorch has freed back to the system between jobs.</summary>
/// <remarks>
/// glibc keeps freed heap blocks for reuse; with activations of many sizes the heap fragments and resident memory
/// climbs job after job. Trimming once per job costs a few milliseconds; forcing every large block through mmap
/// instead (M_MMAP_THRESHOLD) kept memory flat too, but tripled step time with page faults.
/// </remarks>
internal static partial class NativeAllocator
{
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = malloc_trim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to trim.
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
