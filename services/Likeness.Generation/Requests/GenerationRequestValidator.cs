using Likeness.Core.Errors;
using Likeness.Generation.Hosting;
using Likeness.Identity.Encoder;
using Likeness.Identity.Images;

namespace Likeness.Generation.Requests;

/// <summary>Fills defaults into a request as received (0 / null mean "default") and checks every limit, naming the field.</summary>
public static class GenerationRequestValidator
{
    public static GenerationRequest Normalize(GenerationRequest request, GeneratorOptions options)
    {
        if (request.Prompt.Length > options.MaxPromptChars)
        {
            throw Invalid("prompt", $"has {request.Prompt.Length} characters; the limit is {options.MaxPromptChars}.");
        }

        if (request.Characters.Count < 1 || request.Characters.Count > options.MaxCharacters)
        {
            throw Invalid("characters", $"has {request.Characters.Count} entries; between 1 and {options.MaxCharacters} are accepted.");
        }

        var characters = request.Characters.Select((c, i) => Character(c, i, options)).ToList();
        var frames = request.Frames == 0 ? options.DefaultFrames : request.Frames;
        if (!options.FrameCounts.Contains(frames))
        {
            throw Invalid("num_frames", $"{frames} is not offered; use one of {string.Join(", ", options.FrameCounts)}.");
        }

        var width = request.Width == 0 ? options.DefaultSize : request.Width;
        var height = request.Height == 0 ? options.DefaultSize : request.Height;
        if (width != height || !options.Sizes.Contains(width))
        {
            var field = options.Sizes.Contains(width) ? "height" : "width";
            throw Invalid(field, $"{width}×{height} is not offered; use one of {string.Join(", ", options.Sizes.Select(s => $"{s}×{s}"))}.");
        }

        var fps = request.Fps == 0 ? options.DefaultFps : request.Fps;
        if (fps < 1 || fps > options.MaxFps)
        {
            throw Invalid("fps", $"must be 1..{options.MaxFps}.");
        }

        var steps = request.Steps == 0 ? options.DefaultSteps : request.Steps;
        if (steps < 1 || steps > options.MaxSteps)
        {
            throw Invalid("steps", $"must be 1..{options.MaxSteps}.");
        }

        var guidance = float.IsNaN(request.GuidanceScale) ? options.DefaultGuidanceScale : request.GuidanceScale;
        if (!(guidance >= 1 && guidance <= options.MaxGuidanceScale))
        {
            throw Invalid("guidance_scale", $"must be 1..{options.MaxGuidanceScale}.");
        }

        var preview = request.Preview;
        if (preview.EveryNSteps < 0 || preview.MaxSide < 0 || (preview.MaxSide != 0 && (preview.MaxSide < 16 || preview.MaxSide > options.MaxPreviewSide)))
        {
            throw Invalid("preview.max_side", $"must be 16..{options.MaxPreviewSide} (0 = 64).");
        }

        if (request.ClientRequestId.Length > options.MaxClientRequestIdChars)
        {
            throw Invalid("client_request_id", $"is longer than {options.MaxClientRequestIdChars} characters.");
        }

        return request with
        {
            Characters = characters,
            Frames = frames,
            Width = width,
            Height = height,
            Fps = fps,
            Steps = steps,
            GuidanceScale = guidance,
            Preview = preview with { MaxSide = preview.MaxSide == 0 ? 64 : preview.MaxSide },
        };
    }

    private static CharacterRequest Character(CharacterRequest character, int index, GeneratorOptions options)
    {
        var field = $"characters[{index}]";
        IdentityIds.Validate(character.IdentityId, $"{field}.identity_id");
        var strength = float.IsNaN(character.Strength) ? options.DefaultIdentityStrength : character.Strength;
        if (!(strength >= 0 && strength <= 1))
        {
            throw Invalid($"{field}.identity_strength", "must be 0..1.");
        }

        var region = character.Region;
        if (region.Keyframes.Count > options.MaxRegionKeyframes)
        {
            throw Invalid($"{field}.region.keyframes", $"has {region.Keyframes.Count} entries; the limit is {options.MaxRegionKeyframes}.");
        }

        CheckBox(region.Box, $"{field}.region.box");
        for (var k = 0; k < region.Keyframes.Count; k++)
        {
            var (time, box) = region.Keyframes[k];
            if (!(time >= 0 && time <= 1) || (k > 0 && time <= region.Keyframes[k - 1].Time))
            {
                throw Invalid($"{field}.region.keyframes[{k}].time", "must be 0..1 and increase from keyframe to keyframe.");
            }

            CheckBox(box, $"{field}.region.keyframes[{k}].box");
        }

        return character with { Strength = strength };
    }

    private static void CheckBox(NormalizedBox box, string field)
    {
        const float Slack = 1e-4f;
        if (!(box.X >= 0 && box.Y >= 0 && box.Width > 0 && box.Height > 0 && box.X + box.Width <= 1 + Slack && box.Y + box.Height <= 1 + Slack))
        {
            throw Invalid(field, "must lie inside the frame (x, y >= 0; width, height > 0; x + width <= 1; y + height <= 1).");
        }
    }

    private static LikenessException Invalid(string field, string message) => LikenessException.InvalidArgument(field, message);
}
