using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Likeness.Model.Runtime;

namespace Likeness.Model.Tests;

internal static class TorchRuntimeInitializer
{
    /// <summary>Tests touch <c>torch</c> statics directly, so the native library must be in place before any of them runs.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "A test assembly, loaded once by the runner, is the intended home of this initializer.")]
    internal static void Load() => TorchRuntime.EnsureLoaded();
}
