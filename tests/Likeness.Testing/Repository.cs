namespace Likeness.Testing;

/// <summary>Files of the repository the tests run from: the Dockerfiles, k8s/, models/.</summary>
public static class Repository
{
    /// <summary>The folder holding Services.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = Find();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Services.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Services.sln above {AppContext.BaseDirectory}.");
    }
}
