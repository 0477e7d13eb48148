using System.Buffers.Binary;
using System.Text;

namespace Likeness.Model.Runtime.Internal;

/// <summary>Marks one symbol-version requirement of a 64-bit little-endian ELF shared library as weak.</summary>
/// <remarks>
/// A weak requirement (VER_FLG_WEAK in the Vernaux entry of <c>.gnu.version_r</c>) no longer stops the
/// dynamic loader when the providing library lacks that version.
/// </remarks>
internal static class ElfVersionPatch
{
    private const uint SectionTypeVerneed = 0x6ffffffe;
    private const ushort VersionFlagWeak = 0x2;

    /// <summary>Sets VER_FLG_WEAK on every requirement named <paramref name="version"/>; false if there is none.</summary>
    public static bool MarkVersionWeak(Span<byte> elf, string version)
    {
        if (elf.Length < 64 || !elf[..4].SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F'])
            || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("Not a 64-bit little-endian ELF file.");
        }

        var sectionHeaders = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]));
        var headerSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var headerCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        var wanted = Encoding.ASCII.GetBytes(version);
        var patched = false;

        for (var i = 0; i < headerCount; i++)
        {
            var header = elf.Slice(sectionHeaders + (i * headerSize), headerSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != SectionTypeVerneed)
            {
                continue;
            }

            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            var link = BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var stringsHeader = elf.Slice(sectionHeaders + checked((int)(link * headerSize)), headerSize);
            var strings = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(stringsHeader[0x18..]));

            // Verneed: u16 version, u16 count, u32 file, u32 aux, u32 next; Vernaux: u32 hash, u16 flags, u16 other, u32 name, u32 next.
            for (var need = offset; ; )
            {
                var count = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                var aux = need + checked((int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]));
                for (var j = 0; j < count; j++)
                {
                    var name = strings + checked((int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]));
                    var nameBytes = elf[name..];
                    nameBytes = nameBytes[..nameBytes.IndexOf((byte)0)];
                    if (nameBytes.SequenceEqual(wanted))
                    {
                        var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf[(aux + 4)..]);
                        BinaryPrimitives.WriteUInt16LittleEndian(elf[(aux + 4)..], (ushort)(flags | VersionFlagWeak));
                        patched = true;
                    }

                    aux += checked((int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]));
                }

                var next = BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
                if (next == 0)
                {
                    break;
                }

                need += checked((int)next);
            }
        }

        return patched;
    }
}
