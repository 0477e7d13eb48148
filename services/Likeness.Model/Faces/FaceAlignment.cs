namespace Likeness.Model.Faces;

/// <summary>
/// Cuts the recogniser's 150×150 face chip out of a photo from a face's landmarks: rotated, scaled and centred the way
/// dlib cuts the chips its face recogniser was trained on, so the descriptor sees the face it expects.
/// </summary>
/// <remarks>
/// dlib (<c>get_face_chip_details(shape, 150, 0.25)</c> in <c>dlib/image_transforms/interpolation.h</c>, used by
/// <c>dnn_face_recognition_ex.cpp</c>) fits a similarity transform by least squares from 68 landmarks to its mean face
/// shape, a face scaled to the unit square, padded by 0.25 of its size on every side. BlazeFace gives six keypoints
/// instead, so the template here holds the mean-shape positions of the four that have a counterpart in dlib's shape:
/// each eye's centre (mean of its six contour points), the nose tip (point 30) and the mouth centre (mean of the eight
/// inner-lip points 60–67). The ears have none and are not used. Images are interleaved RGBA8888, row-major, top row
/// first; alpha is ignored. Pixels outside the photo are black.
/// </remarks>
public static class FaceAlignment
{
    /// <summary>Side of the chip, in pixels.</summary>
    public const int ChipSize = FaceRecogniser.ChipSize;

    /// <summary>Margin around dlib's mean face, as a fraction of its size (dlib's face recognition example uses 0.25).</summary>
    public const double Padding = 0.25;

    // dlib's mean face shape (points 36..47 and 30, 60..67), in the unit square; from get_face_chip_details.
    private static readonly (double X, double Y)[] MeanRightEye =     // points 36..41: the eye on the photo's left
    [
        (0.121737, 0.216423), (0.187122, 0.178758), (0.265825, 0.179852),
        (0.334606, 0.231733), (0.260918, 0.245099), (0.182743, 0.244077),
    ];

    private static readonly (double X, double Y)[] MeanLeftEye =      // points 42..47
    [
        (0.645647, 0.231733), (0.714428, 0.179852), (0.793132, 0.178758),
        (0.858516, 0.216423), (0.79751, 0.244077), (0.719335, 0.245099),
    ];

    private static readonly (double X, double Y) MeanNoseTip = (0.490127, 0.515625);   // point 30

    private static readonly (double X, double Y)[] MeanInnerLips =    // points 60..67
    [
        (0.290379, 0.784792), (0.428096, 0.778746), (0.490127, 0.785343), (0.552157, 0.778746),
        (0.689874, 0.784792), (0.553364, 0.824182), (0.490127, 0.831803), (0.42689, 0.824182),
    ];

    /// <summary>
    /// Where the right eye, left eye, nose tip and mouth land on the chip, in chip pixels (origin at the chip's top-left
    /// corner): about (48.0, 47.1), (101.0, 47.1), (74.5, 77.1) and (74.5, 105.4).
    /// </summary>
    public static IReadOnlyList<PixelPoint> Template { get; } =
    [
        ToChip(Mean(MeanRightEye)),
        ToChip(Mean(MeanLeftEye)),
        ToChip(MeanNoseTip),
        ToChip(Mean(MeanInnerLips)),
    ];

    /// <summary>The aligned chip: a similarity transform fitted from the eyes, nose tip and mouth, bilinear sampling.</summary>
    /// <param name="rgba">width × height × 4 bytes, interleaved RGBA, row-major.</param>
    /// <returns>[3, 150, 150] RGB in 0..255, channel-major: the input of <see cref="LoadedFaceRecogniser.Describe"/>.</returns>
    /// <exception cref="ArgumentException">The buffer does not match the size, or the landmarks are not finite or coincide.</exception>
    public static float[] Chip(ReadOnlySpan<byte> rgba, int width, int height, FaceLandmarks landmarks)
    {
        CheckImage(rgba, width, height);
        PixelPoint[] face = [landmarks.RightEye, landmarks.LeftEye, landmarks.NoseTip, landmarks.Mouth];
        CheckFinite(face, nameof(landmarks));
        var toImage = ChipToImage.Fit(Template, face)
            ?? throw new ArgumentException("The eyes, nose and mouth coincide; no face can be aligned from them.", nameof(landmarks));
        var chip = new float[3 * ChipSize * ChipSize];
        for (var row = 0; row < ChipSize; row++)
        {
            for (var column = 0; column < ChipSize; column++)
            {
                // Pixel centres: chip pixel (c, r) covers [c, c+1) × [r, r+1); image pixel centres sit at integer + 0.5.
                var (x, y) = toImage.Apply(column + 0.5, row + 0.5);
                SampleBilinear(rgba, width, height, x - 0.5, y - 0.5, chip, (row * ChipSize) + column);
            }
        }

        return chip;
    }

    /// <summary>
    /// face-api's crude crop, for comparison: no rotation; a square box sized from the eye-to-mouth distance
    /// (distance / 0.45) around the centroid of the eye centres and the mouth (at 0.5 and 0.43 of its width and height),
    /// clipped at the photo's edges, padded back to a centred square with black and resized bilinearly to 150×150
    /// (TF.js's <c>resizeBilinear</c> without corner alignment or half-pixel centres).
    /// </summary>
    /// <returns>[3, 150, 150] RGB in 0..255, channel-major.</returns>
    public static float[] AxisAlignedCrop(ReadOnlySpan<byte> rgba, int width, int height, FaceLandmarks landmarks)
    {
        CheckImage(rgba, width, height);
        CheckFinite([landmarks.RightEye, landmarks.LeftEye, landmarks.Mouth], nameof(landmarks));
        static double Distance(PixelPoint a, PixelPoint b) => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2));
        var eyeToMouth = (Distance(landmarks.RightEye, landmarks.Mouth) + Distance(landmarks.LeftEye, landmarks.Mouth)) / 2;
        var size = (int)Math.Floor(eyeToMouth / 0.45);
        var centreX = (landmarks.RightEye.X + landmarks.LeftEye.X + landmarks.Mouth.X) / 3.0;
        var centreY = (landmarks.RightEye.Y + landmarks.LeftEye.Y + landmarks.Mouth.Y) / 3.0;
        var left = (int)Math.Floor(Math.Max(0, centreX - (0.5 * size)));
        var top = (int)Math.Floor(Math.Max(0, centreY - (0.43 * size)));
        var cropWidth = Math.Min(size, width - left);
        var cropHeight = Math.Min(size, height - top);
        if (size <= 0 || cropWidth <= 0 || cropHeight <= 0)
        {
            throw new ArgumentException("The landmarks give an empty face box inside the photo.", nameof(landmarks));
        }

        // Pad the shorter side to a square: round(difference / 2) after the crop, the rest before (face-api's padToSquare).
        var side = Math.Max(cropWidth, cropHeight);
        var before = (side - Math.Min(cropWidth, cropHeight)) - (int)Math.Round((side - Math.Min(cropWidth, cropHeight)) * 0.5, MidpointRounding.AwayFromZero);
        var padLeft = cropWidth < cropHeight ? before : 0;
        var padTop = cropHeight < cropWidth ? before : 0;
        var chip = new float[3 * ChipSize * ChipSize];
        var scale = side / (double)ChipSize;
        for (var row = 0; row < ChipSize; row++)
        {
            for (var column = 0; column < ChipSize; column++)
            {
                // In the padded square, source = destination × scale; neighbours clamp at the square's last pixel.
                var (x, y) = (column * scale, row * scale);
                var x0 = (int)Math.Floor(x);
                var y0 = (int)Math.Floor(y);
                var x1 = Math.Min(x0 + 1, side - 1);
                var y1 = Math.Min(y0 + 1, side - 1);
                double fx = x - x0, fy = y - y0;
                for (var channel = 0; channel < 3; channel++)
                {
                    // The crop, offset into the padded square; the padding is black.
                    double p00 = Pixel(rgba, width, cropWidth, cropHeight, left, top, x0 - padLeft, y0 - padTop, channel);
                    double p10 = Pixel(rgba, width, cropWidth, cropHeight, left, top, x1 - padLeft, y0 - padTop, channel);
                    double p01 = Pixel(rgba, width, cropWidth, cropHeight, left, top, x0 - padLeft, y1 - padTop, channel);
                    double p11 = Pixel(rgba, width, cropWidth, cropHeight, left, top, x1 - padLeft, y1 - padTop, channel);
                    var topValue = p00 + ((p10 - p00) * fx);
                    var bottomValue = p01 + ((p11 - p01) * fx);
                    chip[(channel * ChipSize * ChipSize) + (row * ChipSize) + column] = (float)(topValue + ((bottomValue - topValue) * fy));
                }
            }
        }

        return chip;
    }

    /// <summary>A chip as a 150×150 RGBA8888 image for viewing or encoding: rounded, clamped to 0..255, opaque.</summary>
    /// <param name="chip">[3, 150, 150] RGB, channel-major.</param>
    public static byte[] ToRgba(ReadOnlySpan<float> chip)
    {
        const int plane = ChipSize * ChipSize;
        if (chip.Length != 3 * plane)
        {
            throw new ArgumentException($"A chip holds {3 * plane} floats, not {chip.Length}.", nameof(chip));
        }

        var rgba = new byte[4 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var channel = 0; channel < 3; channel++)
            {
                rgba[(i * 4) + channel] = (byte)Math.Clamp(MathF.Round(chip[(channel * plane) + i]), 0, 255);
            }

            rgba[(i * 4) + 3] = 255;
        }

        return rgba;
    }

    private static void SampleBilinear(ReadOnlySpan<byte> rgba, int width, int height, double x, double y, float[] chip, int offset)
    {
        var x0 = (int)Math.Floor(x);
        var y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        for (var channel = 0; channel < 3; channel++)
        {
            double p00 = Pixel(rgba, width, width, height, 0, 0, x0, y0, channel);
            double p10 = Pixel(rgba, width, width, height, 0, 0, x0 + 1, y0, channel);
            double p01 = Pixel(rgba, width, width, height, 0, 0, x0, y0 + 1, channel);
            double p11 = Pixel(rgba, width, width, height, 0, 0, x0 + 1, y0 + 1, channel);
            var topValue = p00 + ((p10 - p00) * fx);
            var bottomValue = p01 + ((p11 - p01) * fx);
            chip[(channel * ChipSize * ChipSize) + offset] = (float)(topValue + ((bottomValue - topValue) * fy));
        }
    }

    private static void CheckImage(ReadOnlySpan<byte> rgba, int width, int height)
    {
        if (width <= 0 || height <= 0 || rgba.Length != (long)width * height * 4)
        {
            throw new ArgumentException($"Expected {width}×{height} RGBA pixels ({(long)width * height * 4} bytes), got {rgba.Length} bytes.", nameof(rgba));
        }
    }

    /// <summary>One channel of pixel (x, y) of the region [left, left + regionWidth) × [top, top + regionHeight); 0 outside it.</summary>
    private static double Pixel(ReadOnlySpan<byte> rgba, int width, int regionWidth, int regionHeight, int left, int top, int x, int y, int channel) =>
        x < 0 || y < 0 || x >= regionWidth || y >= regionHeight ? 0 : rgba[((((top + y) * width) + left + x) * 4) + channel];

    private static void CheckFinite(PixelPoint[] points, string parameterName)
    {
        if (points.Any(p => !float.IsFinite(p.X) || !float.IsFinite(p.Y)))
        {
            throw new ArgumentException("Landmarks must be finite.", parameterName);
        }
    }

    private static (double X, double Y) Mean((double X, double Y)[] points) => (points.Average(p => p.X), points.Average(p => p.Y));

    /// <summary>dlib's placement of a mean-shape point on the chip, (padding + p) / (1 + 2·padding) · size, moved to pixel-corner coordinates.</summary>
    private static PixelPoint ToChip((double X, double Y) p) => new(
        (float)((((Padding + p.X) / (1 + (2 * Padding))) * ChipSize) + 0.5),
        (float)((((Padding + p.Y) / (1 + (2 * Padding))) * ChipSize) + 0.5));

    /// <summary>image = [a −b; b a] · chip + t: rotation, uniform scale and translation, fitted by least squares.</summary>
    private readonly record struct ChipToImage(double A, double B, double Tx, double Ty)
    {
        public (double X, double Y) Apply(double x, double y) => ((A * x) - (B * y) + Tx, (B * x) + (A * y) + Ty);

        /// <returns>The transform, or null when the image points coincide.</returns>
        public static ChipToImage? Fit(IReadOnlyList<PixelPoint> chip, PixelPoint[] image)
        {
            double sx = chip.Average(p => p.X), sy = chip.Average(p => p.Y);
            double dx = image.Average(p => p.X), dy = image.Average(p => p.Y);
            double dot = 0, cross = 0, norm = 0, spread = 0;
            for (var i = 0; i < image.Length; i++)
            {
                double cx = chip[i].X - sx, cy = chip[i].Y - sy;
                double ix = image[i].X - dx, iy = image[i].Y - dy;
                dot += (cx * ix) + (cy * iy);
                cross += (cx * iy) - (cy * ix);
                norm += (cx * cx) + (cy * cy);
                spread += (ix * ix) + (iy * iy);
            }

            if (spread < 1e-6)
            {
                return null;
            }

            double a = dot / norm, b = cross / norm;
            return new ChipToImage(a, b, dx - ((a * sx) - (b * sy)), dy - ((b * sx) + (a * sy)));
        }
    }
}
