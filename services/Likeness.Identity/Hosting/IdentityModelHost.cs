using Likeness.Model.Identity;
using Likeness.Model.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Identity.Hosting;

/// <summary>The identity model, loaded in the background from a manifest or a seeded initialisation.</summary>
public sealed class IdentityModelHost(
    IOptions<IdentityModelOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<IdentityModelHost> logger) : ModelHost<LoadedIdentityModel>(lifetime, logger)
{
    protected override string Description => "identity model";

    protected override LoadedIdentityModel Load()
    {
        var settings = options.Value;
        var device = ModelDevice.Resolve(settings.Device);
        return string.IsNullOrWhiteSpace(settings.ManifestPath)
            ? LoadedIdentityModel.Seeded(new IdentityModelConfig { TokenDim = settings.TokenDim }, settings.Seed, device)
            : LoadedIdentityModel.FromManifest(ResolvePath(settings.ManifestPath), device);
    }

    protected override void Announce(LoadedIdentityModel model)
    {
        IdentityLog.IdentityModelLoaded(logger, model.ModelId, model.Untrained, model.Device.ToString(), TorchRuntime.EnsureLoaded().Patched);
        if (model.Untrained)
        {
            IdentityLog.IdentityModelUntrained(logger, model.ModelId);
        }
    }
}
