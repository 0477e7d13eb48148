namespace Likeness.Model.Faces.Internal;

/// <summary>A decoded detection in the detector's input square, coordinates as fractions of its side (0..1).</summary>
/// <param name="Coordinates">16 values: box x-min, y-min, x-max, y-max, then six keypoints (x, y) in BlazeFace's order.</param>
/// <param name="Score">Sigmoid score, 0..1.</param>
internal sealed record InputDetection(float[] Coordinates, float Score)
{
    public float Area => Math.Max(0, Coordinates[2] - Coordinates[0]) * Math.Max(0, Coordinates[3] - Coordinates[1]);
}

/// <summary>
/// MediaPipe's reading of BlazeFace's outputs, re-implemented from its calculators' documented behaviour:
/// SsdAnchorsCalculator (fixed-size anchors), TensorsToDetectionsCalculator (offsets scaled by the input size), and
/// NonMaxSuppressionCalculator's WEIGHTED algorithm.
/// </summary>
internal static class BlazeFaceDecoding
{
    public const int CoordinateCount = 16;

    /// <summary>Anchor centres, [A, 2] (x, y) as fractions of the input side, in the network's output order.</summary>
    /// <remarks>
    /// MediaPipe's options for both models: 4 layers, strides [s, 2s, 2s, 2s], aspect ratio 1 plus one interpolated scale,
    /// fixed anchor size, offset 0.5. Layers sharing a stride share a grid, hence 2 anchors per fine cell and 6 per coarse
    /// cell, all with width and height 1 and the cell's centre.
    /// </remarks>
    public static float[] AnchorCentres(FaceDetectorConfig config)
    {
        var centres = new float[config.AnchorCount * 2];
        var next = 0;
        foreach (var (grid, perCell) in new[] { (config.FineGrid, config.FineAnchorsPerCell), (config.CoarseGrid, config.CoarseAnchorsPerCell) })
        {
            for (var y = 0; y < grid; y++)
            {
                for (var x = 0; x < grid; x++)
                {
                    for (var a = 0; a < perCell; a++)
                    {
                        centres[next++] = (x + 0.5f) / grid;
                        centres[next++] = (y + 0.5f) / grid;
                    }
                }
            }
        }

        return centres;
    }

    /// <summary>Detections whose score reaches the threshold, decoded against the anchors.</summary>
    /// <param name="scores">[A] logits.</param>
    /// <param name="regressors">[A, 16] offsets in input pixels.</param>
    /// <param name="anchors">[A, 2] from <see cref="AnchorCentres"/>.</param>
    public static List<InputDetection> Decode(ReadOnlySpan<float> scores, ReadOnlySpan<float> regressors, ReadOnlySpan<float> anchors, FaceDetectorConfig config)
    {
        var detections = new List<InputDetection>();
        float scale = config.InputSize;
        for (var i = 0; i < scores.Length; i++)
        {
            var logit = Math.Clamp(scores[i], -config.ScoreClipping, config.ScoreClipping);
            var score = 1f / (1f + MathF.Exp(-logit));
            if (score < config.ScoreThreshold)
            {
                continue;
            }

            var r = regressors.Slice(i * CoordinateCount, CoordinateCount);
            float ax = anchors[2 * i], ay = anchors[(2 * i) + 1];
            float cx = ax + (r[0] / scale), cy = ay + (r[1] / scale), w = r[2] / scale, h = r[3] / scale;
            var coordinates = new float[CoordinateCount];
            coordinates[0] = cx - (w / 2);
            coordinates[1] = cy - (h / 2);
            coordinates[2] = cx + (w / 2);
            coordinates[3] = cy + (h / 2);
            for (var k = 0; k < 6; k++)
            {
                coordinates[4 + (2 * k)] = ax + (r[4 + (2 * k)] / scale);
                coordinates[5 + (2 * k)] = ay + (r[5 + (2 * k)] / scale);
            }

            detections.Add(new InputDetection(coordinates, score));
        }

        return detections;
    }

    /// <summary>
    /// Weighted non-maximum suppression: the best remaining detection and every remaining one overlapping it by more than
    /// <paramref name="iouThreshold"/> become one detection whose box and keypoints are their score-weighted mean and
    /// whose score is the best one's. Returned best first.
    /// </summary>
    public static List<InputDetection> WeightedSuppression(IEnumerable<InputDetection> detections, float iouThreshold)
    {
        var remaining = detections.OrderByDescending(d => d.Score).ToList();
        var kept = new List<InputDetection>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var merged = new float[CoordinateCount];
            var weight = 0f;
            var rest = new List<InputDetection>(remaining.Count);
            foreach (var candidate in remaining)
            {
                if (Iou(best, candidate) > iouThreshold || ReferenceEquals(candidate, best))
                {
                    for (var c = 0; c < CoordinateCount; c++)
                    {
                        merged[c] += candidate.Coordinates[c] * candidate.Score;
                    }

                    weight += candidate.Score;
                }
                else
                {
                    rest.Add(candidate);
                }
            }

            for (var c = 0; c < CoordinateCount; c++)
            {
                merged[c] /= weight;
            }

            kept.Add(new InputDetection(merged, best.Score));
            remaining = rest;
        }

        return kept;
    }

    public static float Iou(InputDetection a, InputDetection b)
    {
        float[] p = a.Coordinates, q = b.Coordinates;
        var inner = Math.Max(0, Math.Min(p[2], q[2]) - Math.Max(p[0], q[0])) * Math.Max(0, Math.Min(p[3], q[3]) - Math.Max(p[1], q[1]));
        var union = a.Area + b.Area - inner;
        return union > 0 ? inner / union : 0;
    }
}
