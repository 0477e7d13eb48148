using Likeness.Testing;

namespace Likeness.Clients.Tests.Documentation;

/// <summary>
/// The README is the front door and <c>docs/</c> the library behind it. Every relative link in them must reach a file or
/// folder of the repository and every <c>#anchor</c> a heading of the page it names (GitHub's slugs), each docs page
/// must point back to the index and be listed there, and the README must stay short enough to read on two screens.
/// </summary>
public sealed class DocumentationLinksUnitTests
{
    private const int ReadmeMaxLines = 250;

    private const string Index = "docs/README.md";

    /// <summary>README.md and every page under docs/, relative to the repository root.</summary>
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md" };
        foreach (var page in DocsPages())
        {
            pages.Add(page);
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_EveryRelativeLinkAndAnchor_Resolves(string page)
    {
        var broken = DocumentationLinks.Broken(Repository.Root, page);

        Assert.True(broken.Count == 0, $"{broken.Count} broken link(s):\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void Readme_FitsTheFrontDoor_AtMost250Lines()
    {
        var lines = File.ReadAllLines(Repository.PathOf("README.md")).Length;

        Assert.True(lines <= ReadmeMaxLines, $"README.md has {lines} lines; keep it to {ReadmeMaxLines} and move the rest into docs/");
    }

    [Fact]
    public void DocsPages_EachLinksBackToTheIndex_AndIsListedThere()
    {
        var index = MarkdownPage.Read(Repository.PathOf(Index));
        var listed = index.Links.Select(link => link.Target.Split('#')[0]).ToHashSet(StringComparer.Ordinal);

        Assert.All(DocsPages().Where(page => page != Index), page =>
        {
            var opening = MarkdownPage.Read(Repository.PathOf(page)).Lines.Take(5);
            Assert.True(opening.Any(line => line.Contains("](README.md)", StringComparison.Ordinal)), $"{page} does not link back to the index in its first lines");
            Assert.True(listed.Contains(Path.GetRelativePath("docs", page).Replace('\\', '/')), $"{Index} does not list {page}");
        });
    }

    [Fact]
    public void Broken_MissingFilesFoldersAndAnchors_AreEachReported()
    {
        var root = Path.Combine(Path.GetTempPath(), $"likeness-docs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "docs"));
        Directory.CreateDirectory(Path.Combine(root, "models"));
        try
        {
            File.WriteAllText(Path.Combine(root, "docs", "api.md"), "# The API\n\n## Errors and `status` codes\n\n```sh\n# not a heading\n```\n");
            File.WriteAllText(Path.Combine(root, "README.md"), """
                # Likeness

                ## Two commands

                [fine](docs/api.md#errors-and-status-codes) [fine](#two-commands) [fine](models) [fine](https://example.com/x.md#y)
                [gone](docs/missing.md) [no heading](docs/api.md#limits) [fenced only](docs/api.md#not-a-heading)
                [no own heading](#quickstart) [outside](../elsewhere.md) `[code, not a link](nowhere.md)`

                ```sh
                [inside a fence, not a link](nowhere.md)
                ```
                """);

            var broken = DocumentationLinks.Broken(root, "README.md");

            Assert.Equal(5, broken.Count);
            Assert.Contains(broken, line => line.StartsWith("README.md:6: docs/missing.md names nothing", StringComparison.Ordinal));
            Assert.Contains(broken, line => line.Contains("docs/api.md#limits: no heading", StringComparison.Ordinal));
            Assert.Contains(broken, line => line.Contains("docs/api.md#not-a-heading: no heading", StringComparison.Ordinal));
            Assert.Contains(broken, line => line.StartsWith("README.md:7: #quickstart: no heading", StringComparison.Ordinal));
            Assert.Contains(broken, line => line.Contains("../elsewhere.md leaves the repository", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("Real photos: faces and `likeness score`", "real-photos-faces-and-likeness-score")]
    [InlineData("Many generators: cluster-load", "many-generators-cluster-load")]
    [InlineData("The recipe of `train-video`", "the-recipe-of-train-video")]
    [InlineData("Clients: the command line, other languages and the preview page", "clients-the-command-line-other-languages-and-the-preview-page")]
    [InlineData("Keys — and [links](x.md) × 2", "keys--and-links--2")]
    [InlineData("snake_case and Ünïcode", "snake_case-and-ünïcode")]
    public void Slug_OfAHeading_IsGitHubs(string heading, string slug) => Assert.Equal(slug, MarkdownPage.Slug(heading));

    private static IEnumerable<string> DocsPages() =>
        Directory.GetFiles(Repository.PathOf("docs"), "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Repository.Root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
}
