using Likeness.Model.Identity;
using Likeness.Training.Cast;
using Likeness.Training.Data;
using static TorchSharp.torch;

namespace Likeness.Training.Backbone;

/// <summary>Identification on held-out characters: which enrolled character does each probe crop look most like?</summary>
public static class BackboneEvaluation
{
    /// <returns>Top-1 accuracy of probes against per-identity mean embeddings of gallery crops, and chance.</returns>
    public static (double Accuracy, double Chance) Identify(FaceBackbone backbone, ProceduralCast cast, IReadOnlyList<int> identities,
        int galleryPerIdentity = 3, int probesPerIdentity = 5, int seed = 99)
    {
        var samples = new FaceSamples(cast, backbone.InputSize);
        var random = new Random(seed);
        var gallery = identities.Select(id => EmbeddingMath.Mean(Embed(backbone, Enumerable.Range(0, galleryPerIdentity).Select(_ => samples.Sample(id, random)).ToList()))).ToList();
        var correct = 0;
        for (var i = 0; i < identities.Count; i++)
        {
            var probes = Embed(backbone, Enumerable.Range(0, probesPerIdentity).Select(_ => samples.Sample(identities[i], random)).ToList());
            correct += probes.Count(p => Enumerable.Range(0, gallery.Count).MaxBy(g => EmbeddingMath.Cosine(p, gallery[g])) == i);
        }

        return (correct / (double)(identities.Count * probesPerIdentity), 1.0 / identities.Count);
    }

    /// <summary>f(x) of each [3, S, S] crop, one 512-d vector each.</summary>
    public static List<float[]> Embed(FaceBackbone backbone, IReadOnlyList<float[]> crops)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var size = backbone.InputSize;
        var embeddings = backbone.call(tensor(crops.SelectMany(c => c).ToArray(), [crops.Count, 3, size, size]))[.., 0].contiguous();
        var values = embeddings.data<float>().ToArray();
        return Enumerable.Range(0, crops.Count).Select(i => values.AsSpan(i * FaceBackbone.FeatureDim, FaceBackbone.FeatureDim).ToArray()).ToList();
    }
}
