using Likeness.Core.Errors;
using Likeness.Identity.Encoder;
using Likeness.Identity.Regions;
using Likeness.Model.Generation.Sampling;

namespace Likeness.Generation.Requests;

/// <summary>
/// The generator's one validation pass: turns a <see cref="ReceivedGenerationRequest"/> into a
/// <see cref="GenerationRequest"/>, filling defaults for absent values and refusing, as INVALID_ARGUMENT naming the
/// field, every number that is not finite or out of range, every enum value the contract does not define and every
/// string or list over its limit; and, as FAILED_PRECONDITION, a sampler the model does not offer.
/// </summary>
public static partial class GenerationRequestValidator
{
    /// <param name="objective">The video model's training objective, which decides its one sampler.</param>
    /// <exception cref="LikenessException">
    /// INVALID_ARGUMENT naming the first offending field; FAILED_PRECONDITION naming <c>scheduler</c> for a sampler the
    /// model does not offer.
    /// </exception>
    public static GenerationRequest Validate(ReceivedGenerationRequest request, GeneratorOptions options, DenoisingObjectiveKind objective)
    {
        if (request.Prompt.Length > options.MaxPromptChars)
        {
            throw Invalid("prompt", $"has {request.Prompt.Length} characters; the limit is {options.MaxPromptChars}.");
        }

        if (request.Characters.Count < 1 || request.Characters.Count > options.MaxCharacters)
        {
            throw Invalid("characters", $"has {request.Characters.Count} entries; between 1 and {options.MaxCharacters} are accepted.");
        }

        var characters = request.Characters
            .Select((c, i) => Character(c, $"characters[{i}]", i, request.Characters.Count, options.DefaultIdentityStrength, options)).ToList();
        var fps = request.Fps ?? (uint)options.DefaultFps;
        if (fps < 1 || fps > options.MaxFps)
        {
            throw Invalid("fps", $"is {fps}; it must be 1..{options.MaxFps}.");
        }

        var extension = Extension(request.Extend, options);
        var shots = Shots(request, characters, (int)fps, extension is not null, options);
        var frames = shots.Sum(s => s.Frames);

        var width = request.Width ?? (uint)options.DefaultSize;
        var height = request.Height ?? (uint)options.DefaultSize;
        var widthOffered = options.Sizes.Any(s => s == width);
        if (width != height || !widthOffered)
        {
            throw Invalid(widthOffered ? "height" : "width", $"{width}×{height} is not offered; use one of {string.Join(", ", options.Sizes.Select(s => $"{s}×{s}"))}.");
        }

        var steps = request.Steps ?? (uint)options.DefaultSteps;
        if (steps < 1 || steps > options.MaxSteps)
        {
            throw Invalid("steps", $"is {steps}; it must be 1..{options.MaxSteps}.");
        }

        var guidance = request.GuidanceScale ?? options.DefaultGuidanceScale;
        if (!(float.IsFinite(guidance) && guidance >= 1 && guidance <= options.MaxGuidanceScale))
        {
            throw Invalid("guidance_scale", $"is {guidance}; it must be a number within 1..{options.MaxGuidanceScale}.");
        }

        var offered = DenoisingSchedulers.OfferedBy(objective);
        var scheduler = request.Scheduler ?? offered;
        if (!Enum.IsDefined(scheduler))
        {
            throw Invalid("scheduler", $"{(int)scheduler} is not a known scheduler; leave it unspecified for the model's own ({Wire(offered)}).");
        }

        if (scheduler != offered)
        {
            throw new LikenessException(LikenessErrorKind.FailedPrecondition,
                $"{Wire(scheduler)} is not offered by this model, which was trained as {DenoisingSchedulers.WireName(objective)} and samples with {Wire(offered)}; leave it unspecified or send {Wire(offered)}.",
                "scheduler");
        }

        var preview = request.Preview;
        var maxSide = preview.MaxSide ?? 64;
        if (maxSide < 16 || maxSide > options.MaxPreviewSide)
        {
            throw Invalid("preview.max_side", $"is {maxSide}; it must be 16..{options.MaxPreviewSide} (0 = 64).");
        }

        var layout = preview.Layout ?? PreviewLayout.Frames;
        if (!Enum.IsDefined(layout))
        {
            throw Invalid("preview.format", $"{(int)layout} is not a known preview format; use PREVIEW_FORMAT_FRAMES (1) or PREVIEW_FORMAT_CONTACT_SHEET (2).");
        }

        var encoding = request.FrameEncoding ?? FrameEncoding.Png;
        if (!Enum.IsDefined(encoding))
        {
            throw Invalid("frame_format", $"{(int)encoding} is not a known frame format; use FRAME_FORMAT_PNG (1) or FRAME_FORMAT_RGB8 (2).");
        }

        var clientRequestId = request.ClientRequestId ?? "";
        if (clientRequestId.Length > options.MaxClientRequestIdChars)
        {
            throw Invalid("client_request_id", $"has {clientRequestId.Length} characters; the limit is {options.MaxClientRequestIdChars}.");
        }

        return new GenerationRequest
        {
            Prompt = request.Prompt,
            Characters = characters,
            Frames = frames,
            Shots = shots,
            Chunking = new ChunkSettings(options.ChunkFrames, options.ContextFrames),
            Extension = extension,
            Width = (int)width,
            Height = (int)height,
            Fps = (int)fps,
            Steps = (int)steps,
            GuidanceScale = guidance,
            Seed = request.Seed,
            Scheduler = scheduler,
            Preview = new PreviewSettings((int)Math.Min(preview.EveryNSteps ?? 0, int.MaxValue), (int)maxSide, layout == PreviewLayout.ContactSheet),
            FrameEncoding = encoding,
            ClientRequestId = clientRequestId,
        };
    }

    private static CharacterRequest Character(
        ReceivedGenerationRequest.Character character, string field, int index, int count, float defaultStrength, GeneratorOptions options)
    {
        IdentityIds.Validate(character.IdentityId, $"{field}.identity_id");
        var strength = character.Strength ?? defaultStrength;
        if (!(float.IsFinite(strength) && strength >= 0 && strength <= 1))
        {
            throw Invalid($"{field}.identity_strength", $"is {strength}; it must be a number within 0..1.");
        }

        // An empty Region message is what some clients send for "no region": framed by default too.
        if (character.Region is not { } region || (region.Box is null && region.Keyframes.Count == 0))
        {
            return new CharacterRequest(character.IdentityId, strength, DefaultFraming.For(index, count)) { DefaultRegion = true };
        }

        if (region.Keyframes.Count > options.MaxRegionKeyframes)
        {
            throw Invalid($"{field}.region.keyframes", $"has {region.Keyframes.Count} entries; the limit is {options.MaxRegionKeyframes}.");
        }

        var box = CheckBox(region.Box, $"{field}.region.box");
        var keyframes = new List<(float Time, NormalizedBox Box)>(region.Keyframes.Count);
        for (var k = 0; k < region.Keyframes.Count; k++)
        {
            var time = region.Keyframes[k].Time;
            if (!(float.IsFinite(time) && time >= 0 && time <= 1) || (k > 0 && time <= keyframes[k - 1].Time))
            {
                throw Invalid($"{field}.region.keyframes[{k}].time", $"is {time}; it must be a number within 0..1 and increase from keyframe to keyframe.");
            }

            keyframes.Add((time, CheckBox(region.Keyframes[k].Box, $"{field}.region.keyframes[{k}].box")));
        }

        return new CharacterRequest(character.IdentityId, strength, new RegionTrack(box, keyframes));
    }

    private static NormalizedBox CheckBox(NormalizedBox? received, string field)
    {
        const float Slack = 1e-4f;
        var box = received ?? RegionTrack.WholeFrame.Box;
        if (!(float.IsFinite(box.X) && float.IsFinite(box.Y) && float.IsFinite(box.Width) && float.IsFinite(box.Height)
            && box.X >= 0 && box.Y >= 0 && box.Width > 0 && box.Height > 0 && box.X + box.Width <= 1 + Slack && box.Y + box.Height <= 1 + Slack))
        {
            throw Invalid(field, "must lie inside the frame (x, y >= 0; width, height > 0; x + width <= 1; y + height <= 1), in finite numbers.");
        }

        return box;
    }

    private static string Wire(DenoisingScheduler scheduler) => $"SCHEDULER_{scheduler.ToString().ToUpperInvariant()}";

    private static LikenessException Invalid(string field, string message) => LikenessException.InvalidArgument(field, message);
}
