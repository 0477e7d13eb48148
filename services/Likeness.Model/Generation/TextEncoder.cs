using Likeness.Model.Layers;
using Likeness.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Generation;

/// <summary>A small learned text encoder: hashed word embeddings, positions, one self-attention block.</summary>
public sealed class TextEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Embedding token_embedding;
    private readonly Parameter position_embedding;
    private readonly LayerNorm norm_attention;
    private readonly CrossAttention attention;
    private readonly LayerNorm norm_mlp;
    private readonly FeedForward mlp;
    private readonly LayerNorm norm_out;

    public TextEncoder(string name, VideoModelConfig config) : base(name)
    {
        token_embedding = nn.Embedding(config.TextVocabulary, config.Width);
        position_embedding = nn.Parameter(randn(config.TextTokens, config.Width) * 0.02);
        norm_attention = nn.LayerNorm(config.Width);
        attention = new CrossAttention(nameof(attention), config.Width, config.Heads);
        norm_mlp = nn.LayerNorm(config.Width);
        mlp = new FeedForward(nameof(mlp), config.Width);
        norm_out = nn.LayerNorm(config.Width);
        RegisterComponents();
    }

    /// <param name="ids">[batch, tokens] ids from <see cref="PromptTokenizer"/>.</param>
    /// <returns>[batch, tokens, width].</returns>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var x = token_embedding.call(ids).add(position_embedding.unsqueeze(0), Scalars.One);
        var normed = norm_attention.call(x);
        x = x.add(attention.call(normed, normed), Scalars.One);
        x = x.add(mlp.call(norm_mlp.call(x)), Scalars.One);
        return scope.MoveToOuter(norm_out.call(x));
    }
}
