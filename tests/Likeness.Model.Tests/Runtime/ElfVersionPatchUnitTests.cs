using System.Text;
using Likeness.Model.Runtime.Internal;

namespace Likeness.Model.Tests.Runtime;

public sealed class ElfVersionPatchUnitTests
{
    private static readonly string Library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void MarkVersionWeak_TorchSharpLibrary_ChangesOnlyTheFlagsOfThatRequirement()
    {
        var original = File.ReadAllBytes(Library);
        var patched = original.ToArray();

        Assert.True(ElfVersionPatch.MarkVersionWeak(patched, "GLIBCXX_3.4.32"));

        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        var offset = Assert.Single(changed);
        Assert.Equal(original[offset] | 0x2, patched[offset]);
    }

    [Fact]
    public void MarkVersionWeak_VersionNotRequired_ReturnsFalseAndChangesNothing()
    {
        var original = File.ReadAllBytes(Library);
        var copy = original.ToArray();

        Assert.False(ElfVersionPatch.MarkVersionWeak(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(original, copy);
    }

    [Fact]
    public void MarkVersionWeak_NotAnElfFile_Throws()
    {
        var bytes = Encoding.ASCII.GetBytes(new string('x', 128));

        Assert.Throws<InvalidDataException>(() => ElfVersionPatch.MarkVersionWeak(bytes, "GLIBCXX_3.4.32"));
    }
}
