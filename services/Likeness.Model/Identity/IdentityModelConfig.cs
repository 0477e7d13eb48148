using System.Text.Json.Serialization;

namespace Likeness.Model.Identity;

/// <summary>Architecture of an identity model; stored in its manifest so weights and shapes always agree.</summary>
public sealed record IdentityModelConfig
{
    /// <summary>Width D of each identity token. Default 768.</summary>
    [JsonPropertyName("token_dim")]
    public int TokenDim { get; init; } = 768;

    /// <summary>Number of learned identity queries, and so of identity tokens. Default 32.</summary>
    [JsonPropertyName("identity_tokens")]
    public int IdentityTokens { get; init; } = 32;

    /// <summary>Heads of the bank's cross-attention. Default 8.</summary>
    [JsonPropertyName("attention_heads")]
    public int AttentionHeads { get; init; } = 8;

    /// <summary>Side of the square face crop the backbone reads. Default 112.</summary>
    [JsonPropertyName("input_size")]
    public int InputSize { get; init; } = 112;

    /// <summary>Channel widths of the backbone's stages. Default 32, 64, 128, 256.</summary>
    [JsonPropertyName("backbone_widths")]
    public IReadOnlyList<int> BackboneWidths { get; init; } = [32, 64, 128, 256];

    /// <summary>
    /// The face finder the family's references are read with: <c>cast-subject</c> (the procedural cast's drawn heads;
    /// the default, and what manifests without the field mean) or <c>blazeface</c> (photos of people).
    /// </summary>
    [JsonPropertyName("face_finder")]
    public string FaceFinder { get; init; } = "cast-subject";

    /// <summary>Throws when the numbers cannot build a model.</summary>
    public void Validate()
    {
        if (TokenDim <= 0 || IdentityTokens <= 0 || AttentionHeads <= 0 || InputSize < 16 || BackboneWidths.Count == 0)
        {
            throw new InvalidOperationException($"Identity model config is not usable: {this}.");
        }

        if (TokenDim % AttentionHeads != 0)
        {
            throw new InvalidOperationException($"token_dim {TokenDim} is not divisible by attention_heads {AttentionHeads}.");
        }
    }
}
