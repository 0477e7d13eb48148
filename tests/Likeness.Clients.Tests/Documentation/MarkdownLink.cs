namespace Likeness.Clients.Tests.Documentation;

/// <summary>A link's target as written (<c>../models/x.png</c>, <c>api.md#limits</c>, <c>#errors</c>) and its line.</summary>
internal sealed record MarkdownLink(string Target, int Line);
