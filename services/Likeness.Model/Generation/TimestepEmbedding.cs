using Likeness.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Generation;

/// <summary>Diffusion timestep → sinusoidal features → MLP, one vector per sample.</summary>
public sealed class TimestepEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly int width;

    public TimestepEmbedding(string name, int width) : base(name)
    {
        this.width = width;
        fc1 = nn.Linear(width, width * 4);
        fc2 = nn.Linear(width * 4, width);
        RegisterComponents();
    }

    /// <param name="timesteps">[batch] integer or real timesteps.</param>
    /// <returns>[batch, width].</returns>
    public override Tensor forward(Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var half = width / 2;
        using var count = half.ToScalar();
        using var rate = (-Math.Log(10_000) / half).ToScalar();
        var frequencies = exp(arange(Scalars.Zero, count, Scalars.One, dtype: ScalarType.Float32, device: timesteps.device).mul(rate));
        var angles = timesteps.to(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0);
        var features = cat([sin(angles), cos(angles)], 1);
        return scope.MoveToOuter(fc2.call(nn.functional.silu(fc1.call(features))));
    }
}
