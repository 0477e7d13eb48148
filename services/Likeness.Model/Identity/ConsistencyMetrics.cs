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

        var similarity = frames.OfType<float[]>().Select(e => EmbeddingMath.Cosine(e, reference)).ToList();
        var adjacent = Enumerable.Range(0, frames.Count - 1)
            .Where(t => frames[t] is not null && frames[t + 1] is not null)
            .Select(t => EmbeddingMath.Cosine(frames[t]!, frames[t + 1]!))
            .ToList();
        return new ClipConsistency(
            similarity,
            similarity.Average(),
            adjacent.Count == 0 ? 0 : adjacent.Average(c => 1 - c),
            similarity.Average(c => 2 - (2 * c)),
            adjacent.Count == 0 ? 0 : adjacent.Average(c => 2 - (2 * c)));
    }
}
