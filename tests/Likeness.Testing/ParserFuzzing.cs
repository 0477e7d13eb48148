using System.Diagnostics;
using CsCheck;
using Likeness.Core.Errors;
using Likeness.Identity.Images;
using Likeness.Identity.Tokens;
using SkiaSharp;

namespace Likeness.Testing;

/// <summary>
/// A mutation fuzzer over the encoder's image checks (<see cref="ReferenceDecoder.Check"/>) and the token-blob parser
/// (<see cref="TokenBlob.Decode"/>), run as a long CsCheck property: each input is a seed from <c>tests/fuzz/</c> with
/// 1..8 mutations (bit flips, overwritten bytes, 0xFF runs and big length fields, cuts, inserted and duplicated spans).
/// The check may only accept an input or refuse it as INVALID_ARGUMENT; the parser only accept it or throw
/// <see cref="InvalidDataException"/>. Anything else is a crash, saved under the crash folder for replay.
/// </summary>
public static class ParserFuzzing
{
    /// <summary>The seed corpus folder, relative to the repository root.</summary>
    public const string CorpusFolder = "tests/fuzz";

    /// <summary>Inputs tried and crashes found by one run.</summary>
    public sealed record Result(string Target, long Inputs, int Crashes, TimeSpan Elapsed);

    /// <summary>Fuzzes <paramref name="target"/> ("images" or "tokens") for <paramref name="duration"/>; crashing inputs go to <paramref name="crashFolder"/>.</summary>
    public static Result Run(string target, TimeSpan duration, string crashFolder, string? seed = null)
    {
        var seeds = Directory.GetFiles(Repository.PathOf(Path.Combine(CorpusFolder, target))).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        if (seeds.Length == 0)
        {
            throw new InvalidOperationException($"No seeds in {CorpusFolder}/{target}.");
        }

        Action<byte[]> check = target switch
        {
            "images" => CheckImage,
            "tokens" => CheckTokens,
            _ => throw new ArgumentException($"Unknown fuzz target {target}; use images or tokens.", nameof(target)),
        };
        long inputs = 0;
        var crashes = 0;
        var watch = Stopwatch.StartNew();
        Mutated(seeds).Sample(input =>
        {
            Interlocked.Increment(ref inputs);
            try
            {
                check(input);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref crashes);
                Directory.CreateDirectory(crashFolder);
                var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input))[..16];
                File.WriteAllBytes(Path.Combine(crashFolder, $"{target}-{name}.bin"), input);
                File.WriteAllText(Path.Combine(crashFolder, $"{target}-{name}.txt"), e.ToString());
            }
        }, seed: seed, iter: long.MaxValue, time: (int)Math.Max(1, duration.TotalSeconds), threads: 1);
        return new Result(target, inputs, crashes, watch.Elapsed);
    }

    private static readonly ReferenceDecoder Decoder = new(new ReferenceImageOptions());

    /// <summary>Accepted, or refused as INVALID_ARGUMENT; anything else throws.</summary>
    public static void CheckImage(byte[] input)
    {
        try
        {
            using var reference = Decoder.Check(new ReferenceImage(input), 0);
        }
        catch (LikenessException e) when (e.Kind == LikenessErrorKind.InvalidArgument)
        {
        }
    }

    /// <summary>
    /// Parsed, or refused with <see cref="InvalidDataException"/>; anything else throws. Each input is tried as it is and
    /// with its trailing SHA-256 recomputed, so the mutations also reach the fields behind the checksum.
    /// </summary>
    public static void CheckTokens(byte[] input)
    {
        var resealed = (byte[])input.Clone();
        if (resealed.Length >= 32)
        {
            System.Security.Cryptography.SHA256.HashData(resealed.AsSpan(0, resealed.Length - 32), resealed.AsSpan(resealed.Length - 32));
        }

        foreach (var blob in (byte[][])[input, resealed])
        {
            try
            {
                TokenBlob.Decode(blob);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    /// <summary>Writes the seed corpus: small PNG, JPEG (baseline), WebP and a token blob, all valid.</summary>
    public static void WriteSeeds(string root)
    {
        var images = Directory.CreateDirectory(Path.Combine(root, CorpusFolder, "images")).FullName;
        File.WriteAllBytes(Path.Combine(images, "face-64.png"), TestImages.Face(1, 64, 64));
        File.WriteAllBytes(Path.Combine(images, "face-64.jpg"), TestImages.Face(2, 64, 64, SKEncodedImageFormat.Jpeg));
        File.WriteAllBytes(Path.Combine(images, "face-72x64.webp"), TestImages.Face(3, 72, 64, SKEncodedImageFormat.Webp));
        var tokens = Directory.CreateDirectory(Path.Combine(root, CorpusFolder, "tokens")).FullName;
        File.WriteAllBytes(Path.Combine(tokens, "tokens-2x4-f16.bin"), TokenBlob.Encode(new IdentityTokens
        {
            ModelId = "fuzz-seed", Untrained = true, TokenCount = 2, TokenDim = 4, Values = [0, 1, -1, 0.5f, 2, -2, 0.25f, 3],
            FaceEmbedding = [1, 0, 0, 0], ReferenceCount = 1, CombineMode = CombineMode.Mean, CreatedAt = DateTimeOffset.UnixEpoch,
        }, TokenDType.Float16));
    }

    private static Gen<byte[]> Mutated(byte[][] seeds) =>
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Select(Gen.Int[0, 5], Gen.Int, Gen.Int, Gen.Byte).Array[1, 8], (s, mutations) =>
        {
            var data = seeds[s].ToList();
            foreach (var (kind, a, b, value) in mutations)
            {
                var at = data.Count == 0 ? 0 : (int)((uint)a % (uint)data.Count);
                var length = 1 + (int)((uint)b % 64);
                switch (kind)
                {
                    case 0 when data.Count > 0:
                        data[at] ^= (byte)(1 << (value & 7));
                        break;
                    case 1 when data.Count > 0:
                        data[at] = value;
                        break;
                    case 2:
                        // A big length field: 0xFF bytes or 0x7F followed by 0xFF.
                        for (var i = at; i < Math.Min(data.Count, at + 4); i++)
                        {
                            data[i] = i == at && (value & 1) == 1 ? (byte)0x7F : (byte)0xFF;
                        }

                        break;
                    case 3:
                        data.RemoveRange(at, Math.Min(length, data.Count - at));
                        break;
                    case 4:
                        data.InsertRange(at, Enumerable.Repeat(value, length));
                        break;
                    default:
                        data.InsertRange(at, data.Skip(at).Take(length).ToList());
                        break;
                }
            }

            return data.ToArray();
        });
}
