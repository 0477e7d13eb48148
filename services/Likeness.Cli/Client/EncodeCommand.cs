using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Likeness.Cli.Commands;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;

namespace Likeness.Cli.Client;

/// <summary><c>likeness encode &lt;images…&gt;</c>: one identity from reference images; prints its id and each image's quality report.</summary>
internal static class EncodeCommand
{
    public static Func<Task<int>> Bind(CommandLine options)
    {
        var files = options.Positionals();
        var combine = options.Text("--combine", "mean") switch
        {
            "mean" => CombineMode.Mean,
            "quality" => CombineMode.QualityWeighted,
            var other => throw new FormatException($"--combine must be mean or quality, not '{other}'."),
        };
        if (files.Count == 0)
        {
            throw new FormatException("encode needs at least one image file.");
        }

        return ClientCommand.Bind(options, (clients, output) => RunAsync(clients, output, files, combine));
    }

    private static async Task<int> RunAsync(LikenessClients clients, Output output, IReadOnlyList<string> files, CombineMode combine)
    {
        var request = new EncodeIdentityRequest { CombineMode = combine };
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
                $"  [{quality.Index}] {Path.GetFileName(files[(int)quality.Index])}: {quality.Width}×{quality.Height}, score {quality.Score:0.00}, light {quality.MeanLuma:0.00}, sharpness {quality.Sharpness:0}, subject {(quality.SubjectFound ? "found" : "not found")}"));
            foreach (var warning in quality.Warnings)
            {
                output.Say($"      warning: {warning.Message}");
            }
        }

        return ExitCodes.Ok;
    }

    private static string Expiry(IdentityDescriptor identity) =>
        identity.ExpiresAt is null ? "" : $", expires {identity.ExpiresAt.ToDateTime():yyyy-MM-dd HH:mm} UTC";
}
