using Likeness.Core.Errors;
using Likeness.Model.Identity;
using Likeness.Model.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Identity.Encoder;

/// <summary>Loads the identity model in the background at start-up and holds it; readiness follows it.</summary>
/// <remarks>A model that fails to load stops the process with exit code 1: it cannot serve, and a restart says so loudly.</remarks>
public sealed class IdentityModelHost(
    IOptions<IdentityModelOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<IdentityModelHost> logger) : BackgroundService
{
    private readonly TaskCompletionSource<LoadedIdentityModel> loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The model, or null while it loads.</summary>
    public LoadedIdentityModel? Model => loaded.Task.IsCompletedSuccessfully ? loaded.Task.Result : null;

    /// <summary>The model, or UNAVAILABLE while it loads.</summary>
    public LoadedIdentityModel Require() =>
        Model ?? throw new LikenessException(LikenessErrorKind.Unavailable, "The identity model is still loading; retry shortly.");

    /// <summary>Completes when the model is ready (or faults when it cannot load).</summary>
    public Task<LoadedIdentityModel> WhenLoaded => loaded.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            var model = Load(options.Value);
            IdentityModelLog.Loaded(logger, model.ModelId, model.Untrained, model.Device.ToString(), TorchRuntime.EnsureLoaded().Patched);
            if (model.Untrained)
            {
                IdentityModelLog.Untrained(logger, model.ModelId);
            }

            loaded.SetResult(model);
        }
        catch (Exception e)
        {
            IdentityModelLog.LoadFailed(logger, e);
            loaded.TrySetException(e);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }, stoppingToken);

    private static LoadedIdentityModel Load(IdentityModelOptions settings)
    {
        var device = ModelDevice.Resolve(settings.Device);
        return string.IsNullOrWhiteSpace(settings.ManifestPath)
            ? LoadedIdentityModel.Seeded(new IdentityModelConfig { TokenDim = settings.TokenDim }, settings.Seed, device)
            : LoadedIdentityModel.FromManifest(settings.ManifestPath, device);
    }

    public override void Dispose()
    {
        Model?.Dispose();
        base.Dispose();
    }
}
