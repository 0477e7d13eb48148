using Likeness.Model.Identity;

namespace Likeness.Model.Tests.Identity;

public sealed class EmbeddingMathUnitTests
{
    [Fact]
    public void Cosine_ParallelOppositeAndOrthogonal()
    {
        Assert.Equal(1f, EmbeddingMath.Cosine([1, 2, 3], [2, 4, 6]), 1e-6f);
        Assert.Equal(-1f, EmbeddingMath.Cosine([1, 2, 3], [-1, -2, -3]), 1e-6f);
        Assert.Equal(0f, EmbeddingMath.Cosine([1, 0], [0, 5]), 1e-6f);
        Assert.Equal(0f, EmbeddingMath.Cosine([0, 0], [1, 1]));
    }
}
