namespace Likeness.Generation.Requests;

/// <summary>The sampler that walks the denoising schedule. Values are the wire numbers of <c>likeness.generation.v1.Scheduler</c>.</summary>
public enum DenoisingScheduler
{
    /// <summary>Deterministic DDIM (eta = 0) over the model's DDPM training schedule.</summary>
    Ddim = 1,
}
