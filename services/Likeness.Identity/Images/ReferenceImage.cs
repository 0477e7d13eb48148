namespace Likeness.Identity.Images;

/// <summary>One reference as received: encoded bytes and, optionally, the format the client says they are.</summary>
public sealed record ReferenceImage(ReadOnlyMemory<byte> Data, EncodedImageFormat? DeclaredFormat = null);
