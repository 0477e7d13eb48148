using static TorchSharp.torch;

namespace Likeness.Training.Video;

/// <summary>The noise level of every frame of a training batch, for continuation training (diffusion forcing).</summary>
internal static class ContinuationLevels
{
    /// <summary>
    /// Each frame's level, [b, f], and which frames the loss counts (1) or are given as context (0): every frame at its
    /// clip's level, except in the <see cref="VideoTrainingSettings.ContextShare"/> of clips whose first frames are given.
    /// </summary>
    public static (Tensor Levels, Tensor Made) Draw(Tensor levels, int frames, Random random, VideoTrainingSettings settings)
    {
        var clips = (int)levels.shape[0];
        var values = levels.data<float>().ToArray();
        var perFrame = new float[clips * frames];
        var made = new float[clips * frames];
        for (var clip = 0; clip < clips; clip++)
        {
            var given = settings.ContextShare > 0 && frames > 1 && random.NextDouble() < settings.ContextShare ? random.Next(1, (frames / 2) + 1) : 0;
            for (var frame = 0; frame < frames; frame++)
            {
                perFrame[(clip * frames) + frame] = frame < given ? settings.ContextNoiseLevel : values[clip];
                made[(clip * frames) + frame] = frame < given ? 0 : 1;
            }
        }

        return (tensor(perFrame, [clips, frames]), tensor(made, [clips, frames]));
    }
}
