using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.ServiceDefaults.Security;

/// <summary>
/// The API keys of <see cref="AuthOptions.ApiKeysFile"/>, held only as SHA-256 hashes and looked up by the hash of the
/// presented key. The file is re-read (at most once a second) when its content changes, so a rotated Kubernetes
/// Secret takes effect without a restart; an unreadable or malformed file keeps the keys read before.
/// </summary>
public sealed class ApiKeyStore(IOptions<AuthOptions> options, TimeProvider time, ILogger<ApiKeyStore> logger)
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private Dictionary<string, ApiKeyHolder> holders = new(StringComparer.Ordinal);
    private byte[] contentHash = [];
    private DateTimeOffset checkedAt = DateTimeOffset.MinValue;

    /// <summary>The holder of <paramref name="key"/>, or null when no line of the file holds it.</summary>
    public ApiKeyHolder? Find(string key)
    {
        Refresh();
        var hash = Hash(key);
        return Volatile.Read(ref holders).GetValueOrDefault(hash);
    }

    /// <summary>Reads the file now; throws when it cannot be read or parsed (used at start-up, where that is fatal).</summary>
    /// <exception cref="InvalidOperationException">The file is missing, unreadable or has a malformed line.</exception>
    public void Load()
    {
        var path = options.Value.ApiKeysFile;
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{AuthOptions.Section}:ApiKeysFile '{path}' cannot be read: {e.Message}", e);
        }

        var hash = SHA256.HashData(content);
        lock (gate)
        {
            if (!hash.AsSpan().SequenceEqual(contentHash))
            {
                Volatile.Write(ref holders, Parse(Encoding.UTF8.GetString(content), path));
                contentHash = hash;
                SecurityLog.ApiKeysLoaded(logger, holders.Count, path);
            }
        }
    }

    private void Refresh()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (now - checkedAt < RecheckInterval)
            {
                return;
            }

            checkedAt = now;
        }

        try
        {
            Load();
        }
        catch (InvalidOperationException e)
        {
            SecurityLog.ApiKeysUnreadable(logger, options.Value.ApiKeysFile, e.Message);
        }
    }

    private static Dictionary<string, ApiKeyHolder> Parse(string text, string path)
    {
        var parsed = new Dictionary<string, ApiKeyHolder>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            // The key itself is never part of a message: a malformed line is named by its number only.
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length is < 2 or > 3)
            {
                throw new InvalidOperationException($"{path} line {i + 1}: expected 'KEY PRINCIPAL [ROLE,…]'.");
            }

            if (fields[0].Length < 16)
            {
                throw new InvalidOperationException($"{path} line {i + 1}: a key must be at least 16 characters.");
            }

            var roles = fields.Length == 3 ? fields[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            if (!parsed.TryAdd(Hash(fields[0]), new ApiKeyHolder(fields[1], roles)))
            {
                throw new InvalidOperationException($"{path} line {i + 1}: the same key is listed twice.");
            }
        }

        return parsed;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
