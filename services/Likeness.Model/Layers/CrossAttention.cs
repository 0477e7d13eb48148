using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Layers;

/// <summary>Multi-head attention from a query sequence to a context sequence (self-attention when they are the same).</summary>
public sealed class CrossAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear to_q;
    private readonly Linear to_k;
    private readonly Linear to_v;
    private readonly Linear to_out;
    private readonly int heads;

    public CrossAttention(string name, int dim, int heads, int? contextDim = null) : base(name)
    {
        if (dim % heads != 0)
        {
            throw new ArgumentException($"Width {dim} is not divisible by {heads} heads.", nameof(heads));
        }

        this.heads = heads;
        to_q = nn.Linear(dim, dim);
        to_k = nn.Linear(contextDim ?? dim, dim);
        to_v = nn.Linear(contextDim ?? dim, dim);
        to_out = nn.Linear(dim, dim);
        RegisterComponents();
    }

    /// <param name="x">Queries, [batch, queries, dim].</param>
    /// <param name="context">Keys and values, [batch, keys, contextDim].</param>
    /// <returns>[batch, queries, dim].</returns>
    public override Tensor forward(Tensor x, Tensor context)
    {
        using var scope = NewDisposeScope();
        var q = SplitHeads(to_q.call(x));
        var k = SplitHeads(to_k.call(context));
        var v = SplitHeads(to_v.call(context));
        var attended = nn.functional.scaled_dot_product_attention(q, k, v);
        var merged = attended.transpose(1, 2).flatten(2);
        return scope.MoveToOuter(to_out.call(merged));
    }

    // [batch, length, dim] -> [batch, heads, length, dim / heads]
    private Tensor SplitHeads(Tensor t) => t.reshape(t.shape[0], t.shape[1], heads, -1).transpose(1, 2);
}
