using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Likeness.Clients.Tests.Documentation;

/// <summary>
/// One Markdown file as GitHub renders it, reduced to what links need: the anchors its headings get and the links it
/// makes. Fenced code blocks and inline code are left out, since neither renders a heading or a link.
/// </summary>
internal sealed partial class MarkdownPage
{
    private MarkdownPage(string path, IReadOnlyList<string> lines, IReadOnlySet<string> anchors, IReadOnlyList<MarkdownLink> links)
    {
        Path = path;
        Lines = lines;
        Anchors = anchors;
        Links = links;
    }

    public string Path { get; }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>The anchor of every heading: its GitHub slug, with <c>-1</c>, <c>-2</c>… for repeated ones.</summary>
    public IReadOnlySet<string> Anchors { get; }

    /// <summary>Inline links and images (<c>[text](target)</c>) and reference definitions (<c>[id]: target</c>).</summary>
    public IReadOnlyList<MarkdownLink> Links { get; }

    public static MarkdownPage Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var links = new List<MarkdownLink>();
        string? fence = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            var marker = FenceMarker().Match(trimmed);
            if (marker.Success && (fence is null || trimmed.StartsWith(fence, StringComparison.Ordinal)))
            {
                fence = fence is null ? marker.Value : null;
                continue;
            }

            if (fence is not null)
            {
                continue;
            }

            var text = InlineCode().Replace(lines[i], "");
            var heading = Heading().Match(lines[i]);
            if (heading.Success)
            {
                var slug = Slug(heading.Groups["text"].Value);
                var repeat = seen.GetValueOrDefault(slug);
                seen[slug] = repeat + 1;
                anchors.Add(repeat == 0 ? slug : $"{slug}-{repeat}");
            }

            links.AddRange(InlineLink().Matches(text).Select(m => new MarkdownLink(m.Groups["target"].Value, i + 1)));
            var definition = ReferenceDefinition().Match(text);
            if (definition.Success)
            {
                links.Add(new MarkdownLink(definition.Groups["target"].Value, i + 1));
            }
        }

        return new MarkdownPage(path, lines, anchors, links);
    }

    /// <summary>
    /// GitHub's anchor for a heading (github-slugger): the rendered text in lower case, every character that is not a
    /// letter, mark, digit, underscore, space or hyphen dropped, and each space made a hyphen.
    /// </summary>
    public static string Slug(string heading)
    {
        var rendered = LinkInText().Replace(heading, "${text}").Trim().ToLowerInvariant();
        var slug = new StringBuilder(rendered.Length);
        foreach (var c in rendered)
        {
            var category = char.GetUnicodeCategory(c);
            if (c == ' ')
            {
                slug.Append('-');
            }
            else if (c is '-' or '_' || char.IsLetterOrDigit(c)
                || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }

    [GeneratedRegex(@"^(`{3,}|~{3,})")]
    private static partial Regex FenceMarker();

    [GeneratedRegex(@"^ {0,3}#{1,6}[ \t]+(?<text>.*?)(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"!?\[[^\]]*\]\(<?(?<target>[^)\s>]*)>?(?:[ \t]+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:[ \t]*<?(?<target>[^\s>]+)>?")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkInText();
}
