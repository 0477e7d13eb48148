using System.Diagnostics;
using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using Likeness.Media;
using Likeness.Model.Generation;
using Likeness.Model.Identity;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;
using Likeness.Training.Data;
using Likeness.Training.Traits;
using Likeness.Training.Video;

namespace Likeness.Training.Evaluation;

/// <summary>
/// The consistency evaluation on held-out characters: clips generated under each condition and baseline, every face
/// cropped at the character's region and scored by a separate evaluator recogniser, never by the backbone the
/// generator trained against.
/// </summary>
public sealed partial class ConsistencyEvaluation(
    EvaluationSettings settings, LoadedIdentityModel identity, LoadedVideoModel video, ConvFaceBackbone evaluator, string evaluatorId,
    TraitClassifier? traits = null)
{
    private readonly ProceduralCast cast = new(settings.CastSeed);
    private readonly int frames = settings.Frames <= video.Config.MaxFrames
        ? settings.Frames
        : throw new ArgumentException($"Clips of {settings.Frames} frames exceed the {video.Config.MaxFrames} the video model makes.", nameof(settings));
    private int Side => video.Config.MaxSide;

    /// <summary>The settings, for the nested <c>CharacterScene</c>.</summary>
    private EvaluationSettings Settings => settings;
    private int Frames => frames;

    /// <summary>The trait classifier, for the nested <see cref="Yardsticks"/>.</summary>
    private TraitClassifier? TraitReader => traits;

    private int EvaluatorInputSize => evaluator.InputSize;

    /// <summary>Generates and measures every condition for each evaluated character, then the impostors and the pairs.</summary>
    /// <param name="sheetsDirectory">Where the contact sheets go.</param>
    public EvaluationReport Run(string sheetsDirectory, Action<string> log)
    {
        var started = Stopwatch.GetTimestamp();
        var heldOut = cast.HeldOut(settings.CastSize).ToList();
        var gallery = heldOut.Select(who => ClipMeasures.Normalise(EmbeddingMath.Mean(Embed(Enumerable.Range(0, settings.GalleryPhotos)
            .Select(k => ReferenceCrop(who, GallerySeed(who, k), ReferenceQuality.Clean, evaluator.InputSize)).ToList())))).ToList();
        var galleryIndex = heldOut.Select((who, index) => (who.Id, index)).ToDictionary(p => p.Id, p => p.index);
        var scores = new ConditionScores();
        var yardsticks = new Yardsticks(this);
        var evaluated = heldOut.Where(who => who.Id >= settings.FirstId).Take(settings.Characters).ToList();
        var defaults = new List<(ClipFrames Clip, RegionTrack Track, ClipFrames Truth)>();
        var overview = new List<byte[]>();
        for (var i = 0; i < evaluated.Count; i++)
        {
            var scene = new CharacterScene(this, evaluated[i], gallery, galleryIndex[evaluated[i].Id]);
            var (atDefault, atZero) = MeasureBaselines(scene, scores, yardsticks);
            defaults.Add((atDefault, scene.Track, scene.Truth));
            if (i < settings.ContactSheets)
            {
                var sheet = SheetRows(scene.Who, atDefault, atZero, scene.Truth);
                File.WriteAllBytes(Path.Combine(sheetsDirectory, $"contact-{scene.Who.Id:0000}.png"),
                    FrameImages.ContactSheet(sheet, Side, Side, tileSide: 96, columns: Frames + 1));
                overview.AddRange(i < OverviewCharacters ? sheet : []);
            }

            if (!settings.BaselinesOnly)
            {
                MeasureReferenceCounts(scene, scores);
                MeasureReferenceQualities(scene, scores);
                MeasurePrompts(scene, scores);
                MeasureRegions(scene, scores);
                MeasureReferenceSizes(scene, scores);
            }

            log($"  character {scene.Who.Id} ({i + 1}/{evaluated.Count}) done, {Stopwatch.GetElapsedTime(started).TotalMinutes:0.0} min");
        }

        // Impostor: character i's reference against the default clip generated for the next character.
        for (var i = 0; i < evaluated.Count; i++)
        {
            var (clip, track, truth) = defaults[(i + 1) % evaluated.Count];
            var index = galleryIndex[evaluated[i].Id];
            scores.Add("baseline", "another character's identity (impostor)", Score(clip, track, gallery[index], gallery, index, truth));
        }

        if (overview.Count > 0)
        {
            File.WriteAllBytes(Path.Combine(sheetsDirectory, "contact-sheet.png"), FrameImages.ContactSheet(overview, Side, Side, tileSide: Side, columns: Frames + 1));
        }

        var pairs = settings.BaselinesOnly ? new PairResult(0, double.NaN, double.NaN, double.NaN) : Pairs(evaluated, gallery, galleryIndex, sheetsDirectory);
        return new EvaluationReport(scores.Rows(), pairs, yardsticks.TraitRows(settings.DefaultStrength), yardsticks.Frechet(), heldOut.Count,
            identity.ModelId, video.ModelId, evaluatorId, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The renders, every strength (or only 0 and the default), and the yardsticks' samples; returns the clips at the default strength and at 0.</summary>
    private (ClipFrames Default, ClipFrames Zero) MeasureBaselines(CharacterScene scene, ConditionScores scores, Yardsticks yardsticks)
    {
        scores.Add("baseline", "renderer's own frames (upper bound)", scene.Measure(scene.Truth));
        yardsticks.Collect(Yardsticks.Renders, scene.Who, scene.Truth, scene.Track);
        var (otherClip, otherTrack) = Render(scene.Who, ClipDirector.Direct(6000 + scene.Who.Id, Frames));
        yardsticks.Collect(Yardsticks.OtherRenders, scene.Who, otherClip, otherTrack);

        ClipFrames? atDefault = null, atZero = null;
        foreach (var strength in settings.BaselinesOnly ? [0f, settings.DefaultStrength] : settings.Strengths)
        {
            var clip = scene.Generate(1, ReferenceQuality.Clean, strength, scene.Caption);
            var score = scene.Measure(clip);
            scores.Add("identity_strength", $"{strength:0.##}", score);
            if (strength == 0)
            {
                atZero = clip;
                scores.Add("baseline", "identity_strength 0 (no identity)", score);
            }

            if (strength == settings.DefaultStrength)
            {
                atDefault = clip;
                scores.Add("baseline", $"Likeness (strength {strength:0.##}, 1 clean reference)", score);
                scores.Add("references", "1", score);
                scores.Add("reference quality", "clean", score);
                scores.Add("prompt", "action only", score);
            }
        }

        atDefault ??= scene.Generate(1, ReferenceQuality.Clean, settings.DefaultStrength, scene.Caption);
        atZero ??= scene.Generate(1, ReferenceQuality.Clean, 0, scene.Caption);
        yardsticks.Collect(Yardsticks.Generated, scene.Who, atDefault, scene.Track);
        yardsticks.Collect(Yardsticks.NoIdentity, scene.Who, atZero, scene.Track);
        return (atDefault, atZero);
    }

    private void MeasureReferenceCounts(CharacterScene scene, ConditionScores scores)
    {
        foreach (var count in settings.ReferenceCounts.Where(c => c != 1))
        {
            scores.Add("references", $"{count}", scene.Measure(scene.Generate(count, ReferenceQuality.Clean, settings.DefaultStrength, scene.Caption)));
        }
    }

    private void MeasureReferenceQualities(CharacterScene scene, ConditionScores scores)
    {
        foreach (var quality in new[] { ReferenceQuality.Blurred, ReferenceQuality.Dark, ReferenceQuality.LowResolution })
        {
            scores.Add("reference quality", Describe(quality), scene.Measure(scene.Generate(1, quality, settings.DefaultStrength, scene.Caption)));
        }
    }

    private void MeasurePrompts(CharacterScene scene, ConditionScores scores)
    {
        var described = ClipDirector.Caption(scene.Who, scene.Script, describeCharacter: true);
        scores.Add("prompt", "action and the character's description", scene.Measure(scene.Generate(1, ReferenceQuality.Clean, settings.DefaultStrength, described)));
    }

    /// <summary>
    /// Where the character is asked to be: its face box along the clip (as in training, and every other row), the
    /// generator's default framing for a request without a region, and the whole frame; each clip is scored at the
    /// region it was given.
    /// </summary>
    private void MeasureRegions(CharacterScene scene, ConditionScores scores)
    {
        scores.Add("region", "the face box along the clip", scene.Measure(scene.Generate(1, ReferenceQuality.Clean, settings.DefaultStrength, scene.Caption)));
        foreach (var (condition, track) in new[] { ("default framing (no region given)", DefaultFraming.For(0, 1)), ("whole frame", RegionTrack.WholeFrame) })
        {
            scores.Add("region", condition, scene.Measure(scene.Generate(1, ReferenceQuality.Clean, settings.DefaultStrength, scene.Caption, track), track));
        }
    }

    /// <summary>The same clean reference photo at each side of the reference-size group, through the encoder's path.</summary>
    private void MeasureReferenceSizes(CharacterScene scene, ConditionScores scores)
    {
        foreach (var side in settings.ReferenceSides)
        {
            scores.Add("reference size", $"{side} px", scene.Measure(scene.Generate(1, ReferenceQuality.Clean, settings.DefaultStrength, scene.Caption, referenceSide: side)));
        }
    }

    /// <summary>The renderer's frames of a script, and the face track along them.</summary>
    private (ClipFrames Clip, RegionTrack Track) Render(CharacterTraits who, ClipScript script)
    {
        var truth = Enumerable.Range(0, Frames).Select(f => CastRenderer.Render(who, script.Background, script.Poses[f], Side)).ToList();
        return (new ClipFrames(truth.SelectMany(t => PixelPlanes.FromInterleaved(t.Rgb, bytesPerPixel: 3)).ToArray(), Frames, Side, Side),
            ClipSamples.Track(truth.Select(t => t.FaceBox).ToList()));
    }

    private PairResult Pairs(List<CharacterTraits> evaluated, List<float[]> gallery, Dictionary<int, int> galleryIndex, string sheetsDirectory)
    {
        var own = new List<double>();
        var leakage = new List<double>();
        var identified = new List<bool>();
        for (var p = 0; p + 1 < evaluated.Count; p += 2)
        {
            var who = new[] { evaluated[p], evaluated[p + 1] };
            var (left, right) = ClipDirector.DirectPair(7000 + p, Frames);
            var scripts = new[] { left, right };
            var truth = Enumerable.Range(0, Frames)
                .Select(f => CastRenderer.RenderScene([new CastMember(who[0], left.Poses[f]), new CastMember(who[1], right.Poses[f])], left.Background, Side))
                .ToList();
            var tracks = Enumerable.Range(0, 2).Select(c => ClipSamples.Track(truth.Select(t => t.FaceBoxes[c]).ToList())).ToList();
            var clip = GenerateClip(
                Enumerable.Range(0, 2).Select(c => (Tokens(who[c], 1, ReferenceQuality.Clean, settings.ReferenceSide), settings.DefaultStrength, tracks[c])).ToList(),
                $"two characters, one {left.Action} and one {right.Action}", (ulong)(who[0].Id + who[1].Id));
            for (var c = 0; c < 2; c++)
            {
                int mine = galleryIndex[who[c].Id], theirs = galleryIndex[who[1 - c].Id];
                var score = Score(clip, tracks[c], gallery[mine], gallery, mine, truth: null);
                own.Add(score.FaceSim);
                identified.Add(score.Identified);
                leakage.Add(Score(clip, tracks[c], gallery[theirs], gallery, theirs, truth: null).FaceSim);
            }

            if (p == 0)
            {
                WritePairSheet(Path.Combine(sheetsDirectory, "contact-pair.png"), who, clip);
            }
        }

        return new PairResult(own.Count, own.DefaultIfEmpty().Average(), leakage.DefaultIfEmpty().Average(), identified.Select(i => i ? 1.0 : 0.0).DefaultIfEmpty().Average());
    }

    private ClipFrames GenerateClip(IReadOnlyList<(float[] Tokens, float Strength, RegionTrack Track)> characters, string prompt, ulong seed)
    {
        var patches = Side / video.Config.PatchSize;
        var request = new SamplingRequest
        {
            Frames = Frames,
            Height = Side,
            Width = Side,
            Steps = settings.Steps,
            GuidanceScale = settings.GuidanceScale,
            Seed = seed,
            Prompt = prompt,
            Characters = characters.Select(c => new SamplingCharacter(c.Tokens, c.Strength, RegionRasterizer.Rasterize(c.Track, Frames, patches, patches))).ToList(),
        };
        return new ClipFrames(video.Sample(request, _ => { }, CancellationToken.None), Frames, Side, Side);
    }

    /// <summary>
    /// Identity tokens from <paramref name="count"/> reference photos, through the encoder service's own path: PNG,
    /// the reference checks, the subject the quality analysis finds, its crop. A photo below the encoder's minimum
    /// side is upscaled first, as a user would have to.
    /// </summary>
    /// <param name="side">Side of each clean photo in pixels (a low-resolution one keeps its own).</param>
    private float[] Tokens(CharacterTraits who, int count, ReferenceQuality quality, int side)
    {
        var crops = Enumerable.Range(0, count).SelectMany(k =>
        {
            var photo = ReferencePhotos.Render(who, PhotoSeed(who, k), quality, side);
            var png = FrameImages.Png(photo.Rgb, photo.Size, photo.Size, Math.Max(photo.Size, ReferenceLimits.MinSide));
            using var reference = Decoder.Check(new ReferenceImage(png), k);
            return FaceCrop.Extract(reference, QualityAnalyzer.Analyze(reference, CastFinder).Subject, identity.Config.InputSize);
        }).ToArray();
        return identity.Encode(crops, count, []).Tokens;
    }

    private static readonly ReferenceImageOptions ReferenceLimits = new();
    private static readonly ReferenceDecoder Decoder = new(ReferenceLimits);

    /// <summary>The cast family's face finder, as its identity manifest declares.</summary>
    private static readonly CastSubjectFinder CastFinder = new();

    private ClipScore Score(ClipFrames clip, RegionTrack track, float[] reference, List<float[]> gallery, int expected, ClipFrames? truth)
    {
        var faces = Embed(Crops(clip, track, evaluator.InputSize)).Select(ClipMeasures.Normalise).ToList();
        var figures = ConsistencyMetrics.Measure(faces, reference);
        var mean = EmbeddingMath.Mean(faces);
        var nearest = Enumerable.Range(0, gallery.Count).MaxBy(g => EmbeddingMath.Cosine(mean, gallery[g]));
        var edgeRatio = truth is null ? double.NaN : ClipMeasures.EdgeEnergy(clip) / ClipMeasures.EdgeEnergy(truth);
        var motionRatio = truth is null ? double.NaN : ClipMeasures.MotionAmplitude(clip) / Math.Max(1e-9, ClipMeasures.MotionAmplitude(truth));
        return new ClipScore(figures.FaceSim, figures.Drift, figures.IdentityLoss, nearest == expected, edgeRatio, motionRatio);
    }

    /// <summary>The face crop of every frame of a clip at the region's box for that frame.</summary>
    private static List<float[]> Crops(ClipFrames clip, RegionTrack track, int size) =>
        Enumerable.Range(0, clip.Frames)
            .Select(f => FaceCrop.Extract(clip.Frame(f), clip.Width, clip.Height, track.At(clip.Frames == 1 ? 0 : f / (float)(clip.Frames - 1)), size))
            .ToList();

    private static float[] ReferenceCrop(CharacterTraits who, int photoSeed, ReferenceQuality quality, int size)
    {
        var photo = ReferencePhotos.Render(who, photoSeed, quality);
        return FaceSamples.Crop(photo.Rgb, photo.Size, photo.FaceBox, size);
    }

    // Photos the generator is given and photos the reference embedding is measured from never coincide.
    private static int PhotoSeed(CharacterTraits who, int k) => (who.Id * 100) + k;

    private static int GallerySeed(CharacterTraits who, int k) => (who.Id * 100) + 50 + k;

    private List<float[]> Embed(IReadOnlyList<float[]> crops) => BackboneEvaluation.Embed(evaluator, crops);

    /// <summary>Characters in the one-picture overview, <c>contact-sheet.png</c>.</summary>
    private const int OverviewCharacters = 3;

    /// <summary>Three rows of tiles: the reference then the generated frames; strength 0; the renderer's frames.</summary>
    private List<byte[]> SheetRows(CharacterTraits who, ClipFrames generated, ClipFrames withoutIdentity, ClipFrames truth)
    {
        var blank = new byte[Side * Side * 3];
        var reference = Display(ReferenceCrop(who, PhotoSeed(who, 0), ReferenceQuality.Clean, Side));
        var tiles = new List<byte[]> { reference };
        tiles.AddRange(Enumerable.Range(0, Frames).Select(generated.Rgb8));
        tiles.Add(blank);
        tiles.AddRange(Enumerable.Range(0, Frames).Select(withoutIdentity.Rgb8));
        tiles.Add(blank);
        tiles.AddRange(Enumerable.Range(0, Frames).Select(truth.Rgb8));
        return tiles;
    }

    private void WritePairSheet(string path, CharacterTraits[] who, ClipFrames generated)
    {
        var tiles = who.Select(w => Display(ReferenceCrop(w, PhotoSeed(w, 0), ReferenceQuality.Clean, Side))).ToList();
        tiles.AddRange(Enumerable.Range(0, Frames).Select(generated.Rgb8));
        File.WriteAllBytes(path, FrameImages.ContactSheet(tiles, Side, Side, tileSide: 96, columns: Frames + 2));
    }

    private byte[] Display(float[] crop) => new ClipFrames(crop, 1, Side, Side).Rgb8(0);

    private static string Describe(ReferenceQuality quality) => quality switch
    {
        ReferenceQuality.Blurred => "blurred",
        ReferenceQuality.Dark => "dark (30% light)",
        ReferenceQuality.LowResolution => $"low resolution ({ReferencePhotos.LowResolutionSide} px photo)",
        _ => "clean",
    };

    private sealed record ClipScore(double FaceSim, double Drift, double Loss, bool Identified, double EdgeRatio, double MotionRatio);
}
