namespace Likeness.Contracts.Generation.V1;

/// <summary>Readings of a consistency report that every client shows the same way.</summary>
public static class CharacterConsistencyExtensions
{
    /// <summary>
    /// The largest similarity of this character's region to another character's reference; the list also holds this
    /// character's own slot (0), which must not count, since leakage can be negative. 0 with one character.
    /// </summary>
    /// <param name="self">This character's position in the report.</param>
    public static float MaxLeakage(this CharacterConsistency character, int self) =>
        character.Leakage.Where((_, other) => other != self).DefaultIfEmpty(0).Max();
}
