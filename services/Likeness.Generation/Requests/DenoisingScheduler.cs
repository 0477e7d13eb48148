using System.Text.Json;
using Likeness.Model.Generation.Sampling;

namespace Likeness.Generation.Requests;

/// <summary>The sampler that walks the denoising schedule. Values are the wire numbers of <c>likeness.generation.v1.Scheduler</c>.</summary>
public enum DenoisingScheduler
{
    /// <summary>Deterministic DDIM (eta = 0) over the DDPM training schedule (Song et al. 2021): epsilon-prediction models.</summary>
    Ddim = 1,

    /// <summary>Euler steps of the rectified-flow ODE from t = 1 to 0 (Esser et al. 2024): rectified-flow models.</summary>
    Euler = 2,
}

/// <summary>Which sampler a model offers, and the API's names for its objective.</summary>
public static class DenoisingSchedulers
{
    /// <summary>The one sampler a model trained with <paramref name="objective"/> offers.</summary>
    public static DenoisingScheduler OfferedBy(DenoisingObjectiveKind objective) => objective switch
    {
        DenoisingObjectiveKind.RectifiedFlow => DenoisingScheduler.Euler,
        DenoisingObjectiveKind.Epsilon => DenoisingScheduler.Ddim,
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, "Unknown objective."),
    };

    /// <summary>
    /// The objective as the API names it, <c>rectified_flow</c> or <c>epsilon</c>: the name the video manifest's config
    /// gives it (<see cref="DenoisingObjectiveKind"/>'s JSON names), so the two never differ.
    /// </summary>
    public static string WireName(DenoisingObjectiveKind objective) => JsonSerializer.Serialize(objective).Trim('"');
}
