using Likeness.Identity.Faces;
using Likeness.Identity.Hosting;
using Likeness.Model.Faces;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Identity.Families;

/// <summary>The photo face pipeline (BlazeFace and dlib's ResNet), loaded in the background from its manifests.</summary>
public sealed class PhotoFaceHost(
    IOptions<PhotoFaceOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<PhotoFaceHost> logger) : ModelHost<PhotoFaceModels>(lifetime, logger), IHealthCheck
{
    protected override string Description => "photo face pipeline";

    protected override PhotoFaceModels Load()
    {
        var detector = LoadedFaceDetector.Load(ResolvePath(options.Value.DetectorManifestPath));
        try
        {
            return new PhotoFaceModels(detector, LoadedFaceRecogniser.Load(ResolvePath(options.Value.RecogniserManifestPath)));
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    protected override void Announce(PhotoFaceModels model) => IdentityLog.PhotoFacesLoaded(logger, model.DetectorId, model.RecogniserId);

    /// <summary>Ready once both models have loaded.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Model is { } model
            ? HealthCheckResult.Healthy(model.ModelId)
            : HealthCheckResult.Unhealthy("The photo face pipeline is loading."));
}
