using Likeness.Identity.Regions;
using Likeness.Media;
using Likeness.Training.Cast;
using Likeness.Training.Traits;

namespace Likeness.Training.Evaluation;

/// <summary>The per-character scene, the condition scores and the yardsticks the evaluation measures every clip with.</summary>
public sealed partial class ConsistencyEvaluation
{
    /// <summary>
    /// One evaluated character's scene: its clip script, the renderer's frames of it (the upper bound), the face track
    /// every generated clip is confined to and cropped along, and generation and scoring against its gallery entry.
    /// </summary>
    private sealed class CharacterScene
    {
        private readonly ConsistencyEvaluation evaluation;
        private readonly List<float[]> gallery;
        private readonly int galleryIndex;
        private readonly float[] oneCleanReference;

        public CharacterScene(ConsistencyEvaluation evaluation, CharacterTraits who, List<float[]> gallery, int galleryIndex)
        {
            this.evaluation = evaluation;
            this.gallery = gallery;
            this.galleryIndex = galleryIndex;
            Who = who;
            Script = ClipDirector.Direct(5000 + who.Id, evaluation.Frames);
            (Truth, Track) = evaluation.Render(who, Script);
            Caption = ClipDirector.Caption(who, Script, describeCharacter: false);
            oneCleanReference = evaluation.Tokens(who, 1, ReferenceQuality.Clean, evaluation.Settings.ReferenceSide);
        }

        public CharacterTraits Who { get; }

        public ClipScript Script { get; }

        public ClipFrames Truth { get; }

        public RegionTrack Track { get; }

        /// <summary>The prompt without the character's description.</summary>
        public string Caption { get; }

        /// <param name="track">Where the face is cropped in each frame; the scene's face track when null.</param>
        public ClipScore Measure(ClipFrames clip, RegionTrack? track = null) => evaluation.Score(clip, track ?? Track, gallery[galleryIndex], gallery, galleryIndex, Truth);

        /// <param name="track">The character's region; the scene's face track when null.</param>
        /// <param name="referenceSide">Side of the reference photos in pixels; the settings' when null.</param>
        public ClipFrames Generate(int references, ReferenceQuality quality, float strength, string prompt, RegionTrack? track = null, int? referenceSide = null)
        {
            var side = referenceSide ?? evaluation.Settings.ReferenceSide;
            var tokens = references == 1 && quality == ReferenceQuality.Clean && side == evaluation.Settings.ReferenceSide
                ? oneCleanReference
                : evaluation.Tokens(Who, references, quality, side);
            return evaluation.GenerateClip([(tokens, strength, track ?? Track)], prompt, (ulong)Who.Id);
        }
    }

    /// <summary>Clip scores by (group, condition), in the order the table shows the groups.</summary>
    private sealed class ConditionScores
    {
        private static readonly string[] Order = ["baseline", "identity_strength", "references", "reference quality", "reference size", "prompt", "region"];
        private readonly Dictionary<(string Group, string Condition), List<ClipScore>> scores = [];

        public void Add(string group, string condition, ClipScore score)
        {
            if (!scores.TryGetValue((group, condition), out var list))
            {
                scores[(group, condition)] = list = [];
            }

            list.Add(score);
        }

        public List<ConditionResult> Rows() => scores
            .OrderBy(s => Array.IndexOf(Order, s.Key.Group))
            .Select(s => new ConditionResult(s.Key.Group, s.Key.Condition, s.Value.Count,
                s.Value.Average(c => c.FaceSim), s.Value.Average(c => c.Drift), s.Value.Average(c => c.Loss), s.Value.Average(c => c.Identified ? 1.0 : 0.0),
                s.Value.Average(c => c.EdgeRatio), s.Value.Average(c => c.MotionRatio)))
            .ToList();
    }

    /// <summary>
    /// What the distribution yardsticks read: evaluator features of face crops for the Fréchet distance, and the trait
    /// classifier's reading of every frame, per sample set.
    /// </summary>
    private sealed class Yardsticks(ConsistencyEvaluation evaluation)
    {
        public const string Renders = "renders";
        public const string OtherRenders = "other renders";
        public const string Generated = "generated";
        public const string NoIdentity = "no identity";

        private readonly Dictionary<string, List<float[]>> faces = new() { [Renders] = [], [OtherRenders] = [], [Generated] = [], [NoIdentity] = [] };
        private readonly Dictionary<string, (List<CharacterTraits> Who, List<int[]> Predicted)> traitCases = [];

        public void Collect(string set, CharacterTraits who, ClipFrames clip, RegionTrack track)
        {
            faces[set].AddRange(evaluation.Embed(Crops(clip, track, evaluation.EvaluatorInputSize)));
            if (evaluation.TraitReader is not { } classifier || set == OtherRenders)
            {
                return;
            }

            if (!traitCases.TryGetValue(set, out var cases))
            {
                traitCases[set] = cases = ([], []);
            }

            var predicted = classifier.Predict(Crops(clip, track, classifier.Config.InputSize));
            cases.Who.AddRange(Enumerable.Repeat(who, predicted.Length));
            cases.Predicted.AddRange(predicted);
        }

        public List<TraitResult> TraitRows(float defaultStrength) =>
            new[] { (Renders, "renderer's own frames (upper bound)"), (Generated, $"Likeness (strength {defaultStrength:0.##})"), (NoIdentity, "identity_strength 0") }
                .Where(c => traitCases.ContainsKey(c.Item1))
                .Select(c => new TraitResult(c.Item2, TraitTraining.Score(traitCases[c.Item1].Who, [.. traitCases[c.Item1].Predicted])))
                .ToList();

        public FrechetResult Frechet() => new(
            FrechetDistance.Between(faces[Generated], faces[Renders]),
            FrechetDistance.Between(faces[NoIdentity], faces[Renders]),
            FrechetDistance.Between(faces[OtherRenders], faces[Renders]),
            faces[Renders].Count);
    }
}
