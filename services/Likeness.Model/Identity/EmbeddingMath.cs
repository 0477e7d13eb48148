namespace Likeness.Model.Identity;

/// <summary>The comparisons face embeddings are scored with, shared by the consistency report and the evaluations.</summary>
public static class EmbeddingMath
{
    /// <summary>Cosine similarity, -1..1 (0 when either vector is zero).</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return (float)(dot / Math.Max(1e-12, Math.Sqrt(na * nb)));
    }

    /// <summary>Euclidean distance between equally long vectors (dlib's same-person measure for its descriptors).</summary>
    public static float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return (float)Math.Sqrt(sum);
    }

    /// <summary>Element-wise mean of equally long vectors.</summary>
    public static float[] Mean(IReadOnlyList<float[]> vectors)
    {
        var mean = new float[vectors[0].Length];
        foreach (var vector in vectors)
        {
            for (var d = 0; d < mean.Length; d++)
            {
                mean[d] += vector[d] / vectors.Count;
            }
        }

        return mean;
    }
}
