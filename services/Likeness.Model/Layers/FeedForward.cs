using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Layers;

/// <summary>The transformer MLP: Linear → GELU → Linear, widening by <c>expansion</c>.</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    public FeedForward(string name, int dim, int expansion = 4) : base(name)
    {
        fc1 = nn.Linear(dim, dim * expansion);
        fc2 = nn.Linear(dim * expansion, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(fc2.call(nn.functional.gelu(fc1.call(x))));
    }
}
