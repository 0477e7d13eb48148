using static TorchSharp.torch;

namespace Likeness.Training.Evaluation;

/// <summary>
/// The Fréchet distance between two sets of feature vectors, each taken as a Gaussian:
/// ||μ1 − μ2||² + Tr(Σ1 + Σ2 − 2(Σ1^½ Σ2 Σ1^½)^½) (Heusel et al. 2017, the FID, here in the evaluator's feature space).
/// With fewer samples than dimensions the covariances are singular and the figure is biased upwards; compare it only with a
/// floor measured on the same number of samples.
/// </summary>
public static class FrechetDistance
{
    /// <param name="first">Vectors of one set, all the same length.</param>
    /// <param name="second">Vectors of the other set.</param>
    /// <exception cref="ArgumentException">A set has fewer than two vectors, or the lengths differ.</exception>
    public static double Between(IReadOnlyList<float[]> first, IReadOnlyList<float[]> second)
    {
        if (first.Count < 2 || second.Count < 2 || first[0].Length != second[0].Length)
        {
            throw new ArgumentException("Two sets of at least two vectors of one length are needed.");
        }

        using var scope = NewDisposeScope();
        var (mean1, cov1) = Moments(first);
        var (mean2, cov2) = Moments(second);
        var root1 = SymmetricSqrt(cov1);
        var cross = SymmetricSqrt(root1.matmul(cov2).matmul(root1));
        var distance = (mean1 - mean2).pow(2).sum() + cov1.trace() + cov2.trace() - (2 * cross.trace());
        return distance.item<double>();
    }

    private static (Tensor Mean, Tensor Covariance) Moments(IReadOnlyList<float[]> vectors)
    {
        var x = tensor(vectors.SelectMany(v => v).Select(v => (double)v).ToArray(), [vectors.Count, vectors[0].Length]);
        var mean = x.mean([0]);
        var centred = x - mean;
        return (mean, centred.t().matmul(centred) / (vectors.Count - 1));
    }

    /// <summary>The square root of a symmetric positive semi-definite matrix through its eigendecomposition (negative round-off clamped to 0).</summary>
    private static Tensor SymmetricSqrt(Tensor matrix)
    {
        var symmetric = (matrix + matrix.t()) / 2;
        var (values, vectors) = linalg.eigh(symmetric);
        return vectors.matmul(diag(values.clamp_min(0).sqrt())).matmul(vectors.t());
    }
}
