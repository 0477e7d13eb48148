using System.Runtime.InteropServices;

namespace Likeness.Model.Runtime.Internal;

/// <summary>Keeps glibc from holding on to the large blocks LibTorch frees between requests.</summary>
/// <remarks>
/// By default glibc raises its mmap threshold each time a large mmapped block is freed, so later activations of the
/// same size come from the heap, where fragmentation keeps them resident: resident memory then climbs job after job.
/// A fixed threshold sends every block of 1 MiB or more to mmap, and munmap hands it back on free.
/// </remarks>
internal static partial class NativeAllocator
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int OneMebibyte = 1024 * 1024;

    public static void ReturnLargeBlocksToTheSystem()
    {
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)
        {
            try
            {
                _ = mallopt(MmapThreshold, OneMebibyte);
            }
            catch (EntryPointNotFoundException)
            {
                // Not glibc (e.g. musl): nothing to tune.
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);
}
