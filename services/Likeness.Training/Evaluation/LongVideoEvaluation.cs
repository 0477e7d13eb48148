using System.Diagnostics;
using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using Likeness.Media;
using Likeness.Model.Identity;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;
using Likeness.Training.Data;

namespace Likeness.Training.Evaluation;

/// <summary>One shot of a long clip as the evaluation asks for it: frames, the characters in it (indices into the clip's cast), their strength, and whether it goes on from the shot before.</summary>
public sealed record LongShot(int Frames, IReadOnlyList<int> Characters, float Strength, bool ContinuePrevious);

/// <summary>A long clip as made: RGB8 frames (side × side) and the clip index of each chunk's first frame.</summary>
public sealed record LongClip(IReadOnlyList<byte[]> Frames, IReadOnlyList<int> ChunkStarts, TimeSpan Took);

/// <summary>
/// Makes a long clip from reference photos (PNG, one per cast member) and shots: the generator through its public
/// contract, so the evaluation measures what users get.
/// </summary>
public delegate Task<LongClip> LongClipMaker(IReadOnlyList<byte[]> references, IReadOnlyList<LongShot> shots, string prompt, ulong seed);

/// <summary>Settings of the long-video evaluation.</summary>
public sealed record LongVideoSettings
{
    public int Characters { get; init; } = 3;

    public int Seconds { get; init; } = 60;

    public int Fps { get; init; } = 8;

    /// <summary>Frames of each end measured (first and last), and of each shot in the shots condition. Default 16 (2 s at 8 fps).</summary>
    public int Span { get; init; } = 16;

    public float Strength { get; init; } = 0.8f;

    public int Side { get; init; } = 64;

    public int CastSeed { get; init; } = 7;

    /// <summary>The held-out tenth of ids 0..CastSize-1 forms the identification gallery. Default 2000 (200 held out).</summary>
    public int CastSize { get; init; } = 2000;

    /// <summary>Shots away before each return in the shots condition.</summary>
    public IReadOnlyList<int> Absences { get; init; } = [1, 2, 4, 8];
}

/// <summary>
/// Long video on held-out characters, four conditions made in the same run: Likeness (identity in every chunk, frame
/// context), last-frame chaining (frame context, identity in the first chunk only: strength 0 after it), independent
/// chunks (identity in every chunk, no frame context) and shots (a character away for 1, 2, 4 and 8 shots of another
/// before returning). Every face is scored by the evaluator recogniser at the default framing, against a gallery of the
/// held-out characters' photos, never by the backbone the generator trained against.
/// </summary>
public sealed class LongVideoEvaluation(ConvFaceBackbone evaluator, LongVideoSettings settings)
{
    private readonly ProceduralCast cast = new(settings.CastSeed);

    /// <summary>The conditions' figures, averaged over the characters.</summary>
    public async Task<LongVideoReport> RunAsync(LongClipMaker make, string sheetsDirectory, Action<string> log)
    {
        var started = Stopwatch.GetTimestamp();
        var heldOut = cast.HeldOut(settings.CastSize).ToList();
        var gallery = heldOut.Select(who => ClipMeasures.Normalise(EmbeddingMath.Mean(Embed(Enumerable.Range(0, 3)
            .Select(k => GalleryCrop(who, (who.Id * 100) + 50 + k)).ToList())))).ToList();
        var frames = settings.Seconds * settings.Fps;
        var rows = new Dictionary<string, List<LongClipScore>>();
        var returns = settings.Absences.ToDictionary(a => a, _ => new List<double>());
        for (var i = 0; i < settings.Characters; i++)
        {
            var (who, other) = (heldOut[i], heldOut[i + settings.Characters]);
            var index = heldOut.IndexOf(who);
            var script = ClipDirector.Direct(8000 + who.Id, settings.Span);
            var prompt = ClipDirector.Caption(who, script, describeCharacter: false);
            var renders = new ClipFrames(script.Poses.SelectMany(p => PixelPlanes.FromInterleaved(CastRenderer.Render(who, script.Background, p, settings.Side).Rgb, 3)).ToArray(),
                settings.Span, settings.Side, settings.Side);
            var renderMotion = ClipMeasures.MotionAmplitude(renders);
            byte[] Reference(CharacterTraits c)
            {
                var photo = ReferencePhotos.Render(c, c.Id * 100, ReferenceQuality.Clean);
                return FrameImages.Png(photo.Rgb, photo.Size, photo.Size);
            }

            var references = new[] { Reference(who), Reference(other) };
            foreach (var (condition, shots) in Conditions(frames))
            {
                var clip = await make(references[..1], shots, prompt, (ulong)who.Id);
                var score = Score(clip, gallery, index, renderMotion, frames);
                rows.TryAdd(condition, []);
                rows[condition].Add(score);
                if (condition == Conditions(frames)[0].Name && i == 0)
                {
                    WriteSheet(Path.Combine(sheetsDirectory, "long-clip.png"), clip);
                }

                log($"  character {who.Id}: {condition}: FaceSim {score.FirstFaceSim:0.000} → {score.LastFaceSim:0.000}, made in {clip.Took.TotalSeconds:0} s");
            }

            var absence = Absence();
            var away = await make(references, absence.Shots, prompt, (ulong)who.Id);
            foreach (var (shotStart, awayFor) in absence.Returns)
            {
                returns[awayFor].Add(FaceSim(away.Frames.Skip(shotStart).Take(settings.Span).ToList(), gallery[index], DefaultFraming.For(0, 1).Box));
            }

            log($"  character {who.Id} ({i + 1}/{settings.Characters}) done, {Stopwatch.GetElapsedTime(started).TotalMinutes:0.0} min");
        }

        return new LongVideoReport(
            rows.Select(r => LongVideoRow.Mean(r.Key, r.Value)).ToList(),
            returns.Select(r => (r.Key, r.Value.Average())).ToList(),
            settings, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The three single-character conditions, each <paramref name="frames"/> long.</summary>
    private List<(string Name, List<LongShot> Shots)> Conditions(int frames)
    {
        var span = settings.Span;
        var chained = new List<LongShot> { new(span, [0], settings.Strength, false) };
        for (var made = span; made < frames; made += span - 4)
        {
            chained.Add(new LongShot(Math.Min(span - 4, frames - made), [0], 0f, true));
        }

        var independent = Enumerable.Range(0, (frames + span - 1) / span).Select(k => new LongShot(Math.Min(span, frames - (k * span)), [0], settings.Strength, false)).ToList();
        return
        [
            ("Likeness: identity every chunk, frame context", [new LongShot(frames, [0], settings.Strength, false)]),
            ("last-frame chaining: identity in the first chunk only", chained),
            ("independent chunks: identity every chunk, no context", independent),
        ];
    }

    /// <summary>Shots of <see cref="LongVideoSettings.Span"/> frames: the character, then another alone for each absence, then the character back.</summary>
    private (List<LongShot> Shots, List<(int Start, int Away)> Returns) Absence()
    {
        var shots = new List<LongShot> { new(settings.Span, [0], settings.Strength, false) };
        var returns = new List<(int, int)>();
        foreach (var away in settings.Absences)
        {
            shots.AddRange(Enumerable.Repeat(new LongShot(settings.Span, [1], settings.Strength, false), away));
            returns.Add((shots.Count * settings.Span, away));
            shots.Add(new LongShot(settings.Span, [0], settings.Strength, false));
        }

        return (shots, returns);
    }

    private LongClipScore Score(LongClip clip, List<float[]> gallery, int index, double renderMotion, int frames)
    {
        var box = DefaultFraming.For(0, 1).Box;
        var tail = settings.Span - 4; // the last chunk of a clip made in 16-frame windows with 4 frames of context
        var first = clip.Frames.Take(settings.Span).ToList();
        var last = clip.Frames.Skip(frames - tail).ToList();
        var seams = clip.ChunkStarts.Where(s => s > 0).Select(s => Change(clip.Frames[s - 1], clip.Frames[s])).DefaultIfEmpty(0).Average();
        var inside = Enumerable.Range(1, frames - 1).Where(f => !clip.ChunkStarts.Contains(f)).Select(f => Change(clip.Frames[f - 1], clip.Frames[f])).Average();
        return new LongClipScore(
            FaceSim(first, gallery[index], box), FaceSim(last, gallery[index], box),
            Identified(first, gallery, index, box), Identified(last, gallery, index, box),
            seams / Math.Max(1e-9, inside), inside * 2 / Math.Max(1e-9, renderMotion), // pixel change on 0..1 against the renders' on -1..1
            clip.Took.TotalSeconds / (frames / (double)settings.Fps));
    }

    private double FaceSim(IReadOnlyList<byte[]> frames, float[] reference, NormalizedBox box) =>
        Faces(frames, box).Average(f => EmbeddingMath.Cosine(f, reference));

    private bool Identified(IReadOnlyList<byte[]> frames, List<float[]> gallery, int index, NormalizedBox box)
    {
        var mean = EmbeddingMath.Mean(Faces(frames, box));
        return Enumerable.Range(0, gallery.Count).MaxBy(g => EmbeddingMath.Cosine(mean, gallery[g])) == index;
    }

    private List<float[]> Faces(IReadOnlyList<byte[]> frames, NormalizedBox box) =>
        Embed(frames.Select(rgb => FaceSamples.Crop(rgb, settings.Side, box, evaluator.InputSize)).ToList()).Select(ClipMeasures.Normalise).ToList();

    private float[] GalleryCrop(CharacterTraits who, int photoSeed)
    {
        var photo = ReferencePhotos.Render(who, photoSeed, ReferenceQuality.Clean);
        return FaceSamples.Crop(photo.Rgb, photo.Size, photo.FaceBox, evaluator.InputSize);
    }

    private List<float[]> Embed(IReadOnlyList<float[]> crops) => BackboneEvaluation.Embed(evaluator, crops);

    /// <summary>The first frame of every chunk, in a grid: the clip across its chunks at a glance.</summary>
    private void WriteSheet(string path, LongClip clip)
    {
        var tiles = clip.ChunkStarts.Select(s => clip.Frames[s]).ToList();
        File.WriteAllBytes(path, FrameImages.ContactSheet(tiles, settings.Side, settings.Side, tileSide: 96, columns: 10));
    }

    /// <summary>Mean absolute change of an 8-bit value between two frames, on a 0..1 scale.</summary>
    private static double Change(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average() / 255.0;
}

/// <summary>
/// One clip's figures: FaceSim of its first and last span, whether each was identified among the gallery, the pixel
/// change across seams over that inside chunks, its motion against the renders', and seconds of compute per second of clip.
/// </summary>
public sealed record LongClipScore(double FirstFaceSim, double LastFaceSim, bool FirstIdentified, bool LastIdentified, double SeamRatio, double MotionRatio, double ComputePerSecond);

/// <summary>A condition's figures averaged over its clips (identification as a rate).</summary>
public sealed record LongVideoRow(string Condition, int Clips, double FirstFaceSim, double LastFaceSim, double FirstIdentified, double LastIdentified, double SeamRatio, double MotionRatio, double ComputePerSecond)
{
    public static LongVideoRow Mean(string condition, IReadOnlyList<LongClipScore> scores) => new(
        condition, scores.Count, scores.Average(s => s.FirstFaceSim), scores.Average(s => s.LastFaceSim),
        scores.Average(s => s.FirstIdentified ? 1.0 : 0), scores.Average(s => s.LastIdentified ? 1.0 : 0),
        scores.Average(s => s.SeamRatio), scores.Average(s => s.MotionRatio), scores.Average(s => s.ComputePerSecond));
}

/// <summary>The long-video evaluation: a row per condition, and the returning character's FaceSim by shots away.</summary>
public sealed record LongVideoReport(IReadOnlyList<LongVideoRow> Rows, IReadOnlyList<(int Away, double FaceSim)> Returns, LongVideoSettings Settings, TimeSpan Took);
