using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using static TorchSharp.torch;

namespace Likeness.Training.Video;

/// <summary>
/// The services' face crop (<see cref="FaceCrop.Extract(ReadOnlySpan{float}, int, int, NormalizedBox, int)"/>) as a
/// differentiable tensor operation, so the identity preservation loss reaches the denoiser through the frames it predicts.
/// </summary>
public static class TensorFaceCrop
{
    /// <param name="frames">[N, 3, H, W].</param>
    /// <param name="boxes">One face box per frame.</param>
    /// <returns>[N, 3, size, size], bilinear, edges clamped.</returns>
    public static Tensor Extract(Tensor frames, IReadOnlyList<NormalizedBox> boxes, int size)
    {
        int height = (int)frames.shape[2], width = (int)frames.shape[3];
        var theta = new float[boxes.Count * 6];
        for (var i = 0; i < boxes.Count; i++)
        {
            var box = boxes[i];
            var side = Math.Min(Math.Min(width, height), Math.Max(box.Width * width, box.Height * height) * FaceCrop.Margin);
            var left = Math.Clamp(((box.X + (box.Width / 2)) * width) - (side / 2), 0, width - side);
            var top = Math.Clamp(((box.Y + (box.Height / 2)) * height) - (side / 2), 0, height - side);

            // Output coordinate u in -1..1 samples input x = (2·left + side)/W − 1 + u·side/W (align_corners false).
            theta[(i * 6) + 0] = side / width;
            theta[(i * 6) + 2] = (((2 * left) + side) / width) - 1;
            theta[(i * 6) + 4] = side / height;
            theta[(i * 6) + 5] = (((2 * top) + side) / height) - 1;
        }

        using var scope = NewDisposeScope();
        var grid = nn.functional.affine_grid(tensor(theta, [boxes.Count, 2, 3]).to(frames.device), [boxes.Count, 3, size, size], align_corners: false);
        var crops = nn.functional.grid_sample(frames, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        return scope.MoveToOuter(crops);
    }
}
