namespace Likeness.Testing;

/// <summary>
/// Public-domain photos of real people, unpacked from Debian's packages by <c>tests/photos/fetch.sh</c>
/// (run by <c>test.sh</c>): <see cref="Astronaut"/> and <see cref="Camera"/> from python3-skimage,
/// <see cref="GraceHopper"/> from python-matplotlib-data. Each shows one face.
/// </summary>
public static class TestPhotos
{
    /// <summary>512×512 RGB PNG, NASA portrait of Eileen Collins (public domain).</summary>
    public static string Astronaut => PathOf("astronaut.png");

    /// <summary>512×512 greyscale PNG, the "cameraman" (CC0 as scikit-image ships it).</summary>
    public static string Camera => PathOf("camera.png");

    /// <summary>512×600 RGB JPEG, U.S. Navy portrait of Grace Hopper (public domain).</summary>
    public static string GraceHopper => PathOf("grace_hopper.jpg");

    /// <summary>Each photo, one person each.</summary>
    public static IReadOnlyList<string> All => [Astronaut, Camera, GraceHopper];

    private static string PathOf(string name)
    {
        var path = Repository.PathOf(Path.Combine("tests", "photos", "debian", name));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing; run tests/photos/fetch.sh (test.sh runs it).", path);
    }
}
