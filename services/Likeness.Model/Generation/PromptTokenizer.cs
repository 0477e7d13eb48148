using System.Globalization;
using System.Text;

namespace Likeness.Model.Generation;

/// <summary>Words of a prompt hashed into a fixed vocabulary; id 0 pads (and is the whole of an empty prompt).</summary>
public static class PromptTokenizer
{
    /// <returns>Exactly <paramref name="length"/> ids in 1..vocabulary-1, padded with 0.</returns>
    public static long[] Tokenize(string prompt, int length, int vocabulary)
    {
        var ids = new long[length];
        var words = prompt.ToLower(CultureInfo.InvariantCulture)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', ';', ':', '!', '?', '"', '\'', '(', ')'))
            .Where(w => w.Length > 0)
            .Take(length);
        var i = 0;
        foreach (var word in words)
        {
            ids[i++] = 1 + (Fnv1a(word) % (uint)(vocabulary - 1));
        }

        return ids;
    }

    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(word))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
