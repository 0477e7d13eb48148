using Likeness.Identity.Hosting;
using Likeness.Model.Generation;
using Likeness.Model.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Generation.Hosting;

/// <summary>The video denoiser, loaded in the background from a manifest or a seeded initialisation.</summary>
public sealed class VideoModelHost(
    IOptions<VideoModelOptions> options,
    IOptions<GeneratorOptions> generatorOptions,
    IHostApplicationLifetime lifetime,
    ILogger<VideoModelHost> logger) : ModelHost<LoadedVideoModel>(lifetime, logger)
{
    protected override string Description => "video model";

    protected override LoadedVideoModel Load()
    {
        var settings = options.Value;
        var device = ModelDevice.Resolve(settings.Device);
        var model = string.IsNullOrWhiteSpace(settings.ManifestPath)
            ? LoadedVideoModel.Seeded(new VideoModelConfig { Width = settings.Width, Blocks = settings.Blocks }, settings.Seed, device)
            : LoadedVideoModel.FromManifest(ResolvePath(settings.ManifestPath), device);
        var problems = generatorOptions.Value.BeyondModel(model.Config).ToList();
        if (problems.Count > 0)
        {
            model.Dispose();
            throw new InvalidOperationException($"{model.ModelId} cannot serve the configured options: {string.Join("; ", problems)}.");
        }

        return model;
    }

    protected override void Announce(LoadedVideoModel model)
    {
        GenerationLog.VideoModelLoaded(logger, model.ModelId, model.Device.ToString());
        if (model.Untrained)
        {
            GenerationLog.VideoModelUntrained(logger, model.ModelId);
        }
    }
}
