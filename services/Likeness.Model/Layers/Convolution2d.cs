using Likeness.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Layers;

/// <summary>
/// A 2-D convolution with the parameters, checkpoint keys (<c>weight</c> [out, in, k, k], <c>bias</c> [out]) and seeded
/// initialisation of <c>nn.Conv2d</c>. Where no gradient flows through it (serving) it runs LibTorch's convolution;
/// otherwise it computes the same sum as im2col and a matrix product (<c>unfold</c>, then <c>matmul</c>), whose
/// gradients autograd derives. On the development
/// machines (AMD EPYC, where LibTorch 2.10 cannot use NNPACK) its convolution backward returned a non-finite gradient for
/// the input in about a third of first steps, which reached every earlier layer's parameters at the next AdamW step
/// ("The loss is not finite at step 2").
/// </summary>
public sealed class Convolution2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long kernel;
    private readonly long stride;
    private readonly long padding;

    /// <param name="input">Input channels.</param>
    /// <param name="output">Output channels.</param>
    /// <param name="kernel">Square kernel side.</param>
    public Convolution2d(long input, long output, long kernel, long stride = 1, long padding = 0, bool bias = true) : base("Conv2d")
    {
        // Initialised by nn.Conv2d itself, so a seeded model draws the same numbers as before.
        using var reference = nn.Conv2d(input, output, kernel, stride: stride, padding: padding, bias: bias);
        weight = new Parameter(reference.weight!.detach().clone());
        this.bias = bias ? new Parameter(reference.bias!.detach().clone()) : null;
        (this.kernel, this.stride, this.padding) = (kernel, stride, padding);
        RegisterComponents();
    }

    /// <param name="input">[batch, in, h, w].</param>
    /// <returns>[batch, out, (h + 2·padding − kernel) / stride + 1, the same for w].</returns>
    public override Tensor forward(Tensor input)
    {
        // LibTorch's kernel whenever no gradient is recorded through it: serving, and frozen layers fed a frozen input. A
        // frozen layer between trained ones (the backbone and decoder the video loss reaches through) still needs the
        // gradient for its input, so it takes the matrix-product path too.
        if (!is_grad_enabled() || !(input.requires_grad || weight.requires_grad))
        {
            return nn.functional.conv2d(input, weight, bias, strides: [stride, stride], padding: [padding, padding]);
        }

        using var scope = NewDisposeScope();
        long batch = input.shape[0], height = input.shape[2], width = input.shape[3], outputs = weight.shape[0];
        long rows = ((height + (2 * padding) - kernel) / stride) + 1, columns = ((width + (2 * padding) - kernel) / stride) + 1;
        var patches = nn.functional.unfold(input, kernel, dilation: 1, padding: padding, stride: stride);   // [batch, in·k·k, rows·columns]
        var result = weight.view(outputs, -1).matmul(patches);                                            // [batch, out, rows·columns]
        if (bias is not null)
        {
            result = result.add(bias.view(1, outputs, 1), Scalars.One);
        }

        return scope.MoveToOuter(result.view(batch, outputs, rows, columns));
    }
}
