namespace Likeness.Training.Cast;

/// <summary>
/// Seeds derived from other numbers the same way in every process and on every machine (unlike
/// <see cref="HashCode"/>, which is randomised per process): SplitMix64 over the parts.
/// </summary>
public static class Seeds
{
    public static int Derive(long first, long second, long third = 0)
    {
        var state = Mix((ulong)first);
        state = Mix(state ^ (ulong)second);
        state = Mix(state ^ (ulong)third);
        return (int)(state >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
