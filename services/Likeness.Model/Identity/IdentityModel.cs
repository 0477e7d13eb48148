using Likeness.Model.Layers;
using Likeness.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Identity;

/// <summary>
/// Face backbone → Linear(512, D) → a learned bank of identity queries cross-attending to the projected
/// features: one image in, [tokens, D] identity tokens out.
/// </summary>
public sealed class IdentityModel : nn.Module<Tensor, Tensor>
{
    private readonly FaceBackbone backbone;
    private readonly Linear projection;
    private readonly Parameter identity_bank;
    private readonly LayerNorm norm_query;
    private readonly LayerNorm norm_context;
    private readonly CrossAttention cross_attention;
    private readonly LayerNorm norm_mlp;
    private readonly FeedForward mlp;
    private readonly LayerNorm norm_out;

    public IdentityModel(IdentityModelConfig config, FaceBackbone? faceBackbone = null) : base(nameof(IdentityModel))
    {
        config.Validate();
        Config = config;
        backbone = faceBackbone ?? new ConvFaceBackbone(nameof(backbone), config.InputSize, config.BackboneWidths);
        projection = nn.Linear(FaceBackbone.FeatureDim, config.TokenDim);
        identity_bank = nn.Parameter(randn(config.IdentityTokens, config.TokenDim) * 0.02);
        norm_query = nn.LayerNorm(config.TokenDim);
        norm_context = nn.LayerNorm(config.TokenDim);
        cross_attention = new CrossAttention(nameof(cross_attention), config.TokenDim, config.AttentionHeads);
        norm_mlp = nn.LayerNorm(config.TokenDim);
        mlp = new FeedForward(nameof(mlp), config.TokenDim);
        norm_out = nn.LayerNorm(config.TokenDim);
        RegisterComponents();
    }

    public IdentityModelConfig Config { get; }

    /// <summary>The face recogniser f, also used to score generated frames against references.</summary>
    public FaceBackbone Backbone => backbone;

    /// <param name="images">[batch, 3, S, S] face crops, RGB in -1..1.</param>
    /// <returns>Identity tokens, [batch, tokens, D].</returns>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Encode(images).Tokens);
    }

    /// <summary>Identity tokens and, from the same backbone pass, the face embedding f(x).</summary>
    /// <returns>Tokens [batch, tokens, D] and embeddings [batch, 512].</returns>
    public (Tensor Tokens, Tensor Embedding) Encode(Tensor images)
    {
        using var scope = NewDisposeScope();
        var face = backbone.call(images);                                         // [batch, 1 + L, 512]
        var features = projection.call(face);                                     // [batch, 1 + L, D]
        var queries = identity_bank.unsqueeze(0).expand(images.shape[0], -1, -1); // [batch, tokens, D]
        var tokens = queries.add(cross_attention.call(norm_query.call(queries), norm_context.call(features)), Scalars.One);
        tokens = tokens.add(mlp.call(norm_mlp.call(tokens)), Scalars.One);
        return scope.MoveToOuter(norm_out.call(tokens), face[.., 0]);
    }
}
