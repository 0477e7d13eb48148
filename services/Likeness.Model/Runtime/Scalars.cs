using TorchSharp;

namespace Likeness.Model.Runtime;

/// <summary>
/// Scalars held for the life of the process. TorchSharp 0.107 hands a Scalar's native handle to LibTorch without keeping
/// the managed object alive, so a Scalar made for one call (the <c>1</c> of <c>a + b</c>, the <c>2.0</c> of
/// <c>2.0 * t</c>) can be finalized while LibTorch still reads it ("Expected false to be true ... toFloat"). Hot paths
/// pass these instead, or hold a per-call one with <c>using var s = value.ToScalar();</c> until the call returns.
/// HeldScalarsUnitTests reads this assembly's IL and fails on any other Scalar outside training-only members.
/// </summary>
/// <remarks>
/// Created when a forward pass first reads one, after the native library is loaded (nothing reads them before).
/// </remarks>
public static class Scalars
{
    public static readonly Scalar Zero = 0.ToScalar();

    public static readonly Scalar One = 1.ToScalar();

    public static readonly Scalar MinusOne = (-1).ToScalar();
}
