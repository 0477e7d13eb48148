using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Likeness.Cli.Commands;
using Likeness.Client;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;

namespace Likeness.Cli.Client;

/// <summary><c>likeness encode &lt;images…&gt;</c>: one identity from reference images; prints its id and each image's quality report.</summary>
internal static class EncodeCommand
{
    public static Command Create()
    {
        var images = new Argument<string[]>("images") { Description = "Reference images of one character.", Arity = ArgumentArity.OneOrMore };
        var combine = CliOptions.Text("--combine", "mean", "How references combine: mean, or quality (weighted by each image's quality). Default mean.")
            .AcceptOnlyFromAmong("mean", "quality");
        var family = CliOptions.Text("--family", "generation",
            "generation (default: pictures of a drawn character, like the bundled references, for generate) or photo (photos of people, " +
            "for likeness score only: a photo identity conditions no generation).")
            .AcceptOnlyFromAmong("generation", "photo");
        return new Command("encode", "Encode reference images of one character; prints the identity id and each image's quality.") { images, combine, family }
            .WithAction(parse => (clients, output) => RunAsync(clients, output, parse.GetValue(images)!,
                parse.GetValue(combine) == "quality" ? CombineMode.QualityWeighted : CombineMode.Mean,
                parse.GetValue(family) == "photo" ? IdentityFamily.Photo : IdentityFamily.Generation));
    }

    private static async Task<int> RunAsync(LikenessClients clients, Output output, string[] files, CombineMode combine, IdentityFamily family)
    {
        var request = new EncodeIdentityRequest { CombineMode = combine, Family = family };
        foreach (var file in files)
        {
            request.References.Add(new Image { Data = ByteString.CopyFrom(await File.ReadAllBytesAsync(file)) });
        }

        var response = await clients.Encoder.EncodeIdentityAsync(request);
        output.Emit(() =>
        {
            var document = Output.ToJson(response);
            document["files"] = new JsonArray([.. files.Select(f => JsonValue.Create(f))]);
            return document;
        });

        var identity = response.Identity;
        output.Say(identity.IdentityId);
        output.Say(string.Create(CultureInfo.InvariantCulture,
            $"  {(response.CacheHit ? "from the store (the model did not run)" : "encoded")}, model {identity.Model.ModelId}{(identity.Model.Untrained ? " (UNTRAINED)" : "")}, tokens {string.Join('×', identity.TokenShape)}, {identity.ReferenceCount} reference(s){Expiry(identity)}"));
        foreach (var quality in response.Quality)
        {
            output.Say(string.Create(CultureInfo.InvariantCulture,
                $"  [{quality.Index}] {Path.GetFileName(files[(int)quality.Index])}: {quality.Width}×{quality.Height}, score {quality.Score:0.00}, light {quality.MeanLuma:0.00}, sharpness {quality.Sharpness:0}, {Faces(quality)}"));
            foreach (var warning in quality.Warnings)
            {
                output.Say($"      warning: {warning.Message}");
            }
        }

        return ExitCodes.Ok;
    }

    private static string Faces(ReferenceQuality quality)
    {
        if (quality.Faces.Count == 0)
        {
            return $"no face ({quality.FaceFinder})";
        }

        var box = quality.Faces[0].Box;
        return string.Create(CultureInfo.InvariantCulture,
            $"{quality.Faces.Count} face(s) ({quality.FaceFinder}), used: x {box.X:0.00} y {box.Y:0.00} w {box.Width:0.00} h {box.Height:0.00}");
    }

    private static string Expiry(IdentityDescriptor identity) =>
        identity.ExpiresAt is null ? "" : $", expires {identity.ExpiresAt.ToDateTime():yyyy-MM-dd HH:mm} UTC";
}
