using System.Text.RegularExpressions;

namespace Likeness.Clients.Tests.Documentation;

/// <summary>
/// Checks the links of Markdown pages the way a reader meets them on GitHub: a relative link must reach a file or folder
/// inside the repository, and an anchor a heading of the page it names.
/// </summary>
internal static partial class DocumentationLinks
{
    /// <summary>One line per broken link of <paramref name="page"/>: where it is, what it points at, and why it fails.</summary>
    public static IReadOnlyList<string> Broken(string root, string page)
    {
        var source = MarkdownPage.Read(Path.Combine(root, page));
        var pages = new Dictionary<string, MarkdownPage>(StringComparer.Ordinal) { [source.Path] = source };
        var rootFolder = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var broken = new List<string>();
        foreach (var link in source.Links)
        {
            if (link.Target.Length == 0)
            {
                broken.Add($"{page}:{link.Line}: an empty link target");
                continue;
            }

            if (Scheme().IsMatch(link.Target))
            {
                continue; // http:, https:, mailto: reach outside the repository
            }

            var hash = link.Target.IndexOf('#', StringComparison.Ordinal);
            var pathPart = Uri.UnescapeDataString(hash < 0 ? link.Target : link.Target[..hash]);
            var anchor = hash < 0 ? null : Uri.UnescapeDataString(link.Target[(hash + 1)..]);
            var target = pathPart.Length == 0
                ? source.Path
                : Path.GetFullPath(pathPart.StartsWith('/')
                    ? Path.Combine(root, pathPart.TrimStart('/'))
                    : Path.Combine(Path.GetDirectoryName(source.Path)!, pathPart));

            if (!(target + Path.DirectorySeparatorChar).StartsWith(rootFolder, StringComparison.Ordinal))
            {
                broken.Add($"{page}:{link.Line}: {link.Target} leaves the repository");
            }
            else if (!File.Exists(target) && !Directory.Exists(target))
            {
                broken.Add($"{page}:{link.Line}: {link.Target} names nothing: {Path.GetRelativePath(root, target)} does not exist");
            }
            else if (anchor is not null)
            {
                if (!target.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || !File.Exists(target))
                {
                    broken.Add($"{page}:{link.Line}: {link.Target} has an anchor, but {Path.GetRelativePath(root, target)} is not a Markdown page");
                    continue;
                }

                if (!pages.TryGetValue(target, out var linked))
                {
                    linked = pages[target] = MarkdownPage.Read(target);
                }

                if (!linked.Anchors.Contains(anchor))
                {
                    broken.Add($"{page}:{link.Line}: {link.Target}: no heading of {Path.GetRelativePath(root, target)} has the anchor #{anchor}");
                }
            }
        }

        return broken;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();
}
