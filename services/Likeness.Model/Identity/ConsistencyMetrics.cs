namespace Likeness.Model.Identity;

/// <summary>The consistency figures of one character over a clip, from its per-frame face embeddings and its reference.</summary>
/// <param name="Similarity">Cosine of each frame's face to the reference, -1..1.</param>
/// <param name="FaceSim">Mean of <paramref name="Similarity"/>.</param>
/// <param name="Drift">Mean cosine distance (1 − cos) between adjacent frames; 0 for one frame.</param>
/// <param name="ReferenceLoss">mean_t ||f̂(v_t) − f̂(ref)||² over unit-length embeddings f̂ (= 2 − 2·cos).</param>
/// <param name="TemporalLoss">mean_t ||f̂(v_t) − f̂(v_t+1)||² over unit-length embeddings; 0 for one frame.</param>
public sealed record ClipConsistency(IReadOnlyList<float> Similarity, float FaceSim, float Drift, float ReferenceLoss, float TemporalLoss)
{
    /// <summary>The seed's identity preservation loss: <see cref="ReferenceLoss"/> + 0.5 · <see cref="TemporalLoss"/>.</summary>
    public float IdentityLoss => ReferenceLoss + (0.5f * TemporalLoss);
}

/// <summary>
/// FaceSim, drift and the seed's identity preservation loss, computed one way for the service's consistency report and
/// the offline evaluation alike. The loss is taken over L2-normalised embeddings, as training optimises it, so it reads
/// 0 (identical) to 4 (opposite) whatever the recogniser's feature scale.
/// </summary>
public static class ConsistencyMetrics
{
    /// <param name="frames">One face embedding per frame, in order.</param>
    /// <param name="reference">The character's reference embedding.</param>
    /// <exception cref="ArgumentException">No frames.</exception>
    public static ClipConsistency Measure(IReadOnlyList<float[]> frames, float[] reference) => MeasurePresent(frames, reference);

    /// <summary>The same figures over the frames where the face is present: drift and the temporal loss over adjacent frames that both are.</summary>
    /// <param name="frames">One face embedding per frame, in order; null where the face is missing.</param>
    /// <returns><see cref="ClipConsistency.Similarity"/> holds the present frames only.</returns>
    /// <exception cref="ArgumentException">No frame with a face.</exception>
    public static ClipConsistency MeasurePresent(IReadOnlyList<float[]?> frames, float[] reference)
    {
        if (!frames.Any(f => f is not null))
        {
            throw new ArgumentException("At least one frame with a face is needed.", nameof(frames));
        }

        var measure = new ConsistencyMeasure(reference);
        foreach (var frame in frames)
        {
            measure.Add(frame);
        }

        return measure.Result();
    }
}

/// <summary>
/// The figures of <see cref="ConsistencyMetrics"/> taken one frame at a time, in constant memory: the per-frame
/// similarities and running sums, and the last embedding for the next adjacent pair.
/// </summary>
/// <param name="reference">The character's reference embedding.</param>
public sealed class ConsistencyMeasure(float[] reference)
{
    private readonly List<float> similarity = [];
    private float[]? previous;
    private double adjacentSum;
    private int adjacentCount;

    /// <summary>Frames added with a face.</summary>
    public int Count => similarity.Count;

    /// <summary>
    /// The next frame's embedding, or null where the face is missing (or a cut lies between frames: adjacency, and so
    /// drift and the temporal loss, does not bridge it).
    /// </summary>
    /// <returns>The frame's cosine to the reference; NaN for a missing face.</returns>
    public float Add(float[]? frame)
    {
        if (frame is null)
        {
            previous = null;
            return float.NaN;
        }

        if (previous is not null)
        {
            adjacentSum += EmbeddingMath.Cosine(previous, frame);
            adjacentCount++;
        }

        previous = frame;
        var cosine = EmbeddingMath.Cosine(frame, reference);
        similarity.Add(cosine);
        return cosine;
    }

    /// <exception cref="InvalidOperationException">No frame with a face was added.</exception>
    public ClipConsistency Result()
    {
        if (similarity.Count == 0)
        {
            throw new InvalidOperationException("At least one frame with a face is needed.");
        }

        var faceSim = similarity.Average();
        var adjacent = adjacentCount == 0 ? 1 : adjacentSum / adjacentCount;
        return new ClipConsistency(
            similarity,
            faceSim,
            adjacentCount == 0 ? 0 : (float)(1 - adjacent),
            similarity.Average(c => 2 - (2 * c)),
            adjacentCount == 0 ? 0 : (float)(2 - (2 * adjacent)));
    }
}
