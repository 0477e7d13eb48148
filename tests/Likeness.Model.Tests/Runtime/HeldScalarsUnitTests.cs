using System.Reflection;
using System.Reflection.Emit;
using Likeness.Model.Generation;
using Likeness.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Runtime;

/// <summary>
/// Keeps the serving path free of Scalars that nothing holds (see <see cref="Scalars"/>): the IL of every method of
/// Likeness.Model outside training-only code must not call a TorchSharp member that makes a Scalar for its own call —
/// <c>a + b</c> (<c>Tensor.add(Tensor)</c> makes the alpha 1), <c>2.0 * t</c>, <c>t.clamp(-1, 1)</c>, <c>arange(n)</c> —
/// nor convert a number to a Scalar implicitly. Explicit <c>ToScalar()</c>, held with <c>using</c>, is the way.
/// </summary>
public sealed class HeldScalarsUnitTests
{
    /// <summary>Members that only training calls (Likeness.Training), where the trainer's process runs without background GC.</summary>
    private static readonly HashSet<string> TrainingOnly =
    [
        "AddNoise", "Target", "CleanEstimate", "TrainingLevels", "SignalCoefficients", "ModelTimes", "AlphaBar",
    ];

    [Fact]
    public void ServingCode_NeverMakesAScalarThatNothingHolds()
    {
        var offenders = typeof(VideoDenoiser).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => !TrainingOnly.Contains(m.Name) && m.GetMethodBody() is not null)
            .SelectMany(m => Callees(m).Where(MakesAnUnheldScalar).Select(c => $"{m.DeclaringType!.FullName}.{m.Name} calls {c.DeclaringType!.Name}.{c.Name}({string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name))})"))
            .Distinct()
            .ToList();

        Assert.True(offenders.Count == 0, string.Join('\n', offenders));
    }

    [Fact]
    public void TheCheck_FindsTheScalarsOfAPlusBAndOfANumberTimesATensor()
    {
        Assert.True(MakesAnUnheldScalar(typeof(Tensor).GetMethod("op_Addition", [typeof(Tensor), typeof(Tensor)])!));
        Assert.True(MakesAnUnheldScalar(typeof(Tensor).GetMethod("op_Multiply", [typeof(double), typeof(Tensor)])!));
        Assert.True(MakesAnUnheldScalar(typeof(Tensor).GetMethod("add", [typeof(Tensor)])!));
        Assert.False(MakesAnUnheldScalar(typeof(Tensor).GetMethod("add", [typeof(Tensor), typeof(Scalar)])!));
        Assert.False(MakesAnUnheldScalar(typeof(Tensor).GetMethod("op_Subtraction", [typeof(Tensor), typeof(Tensor)])!));
        Assert.Contains(Callees(typeof(HeldScalarsUnitTests).GetMethod(nameof(APlusB), BindingFlags.NonPublic | BindingFlags.Static)!), MakesAnUnheldScalar);
    }

    private static Tensor APlusB(Tensor a, Tensor b) => a + b;

    /// <summary>
    /// Converts a number to a Scalar, or is a TorchSharp member that does so (directly or through the members it calls,
    /// three deep) before handing the Scalar to LibTorch.
    /// </summary>
    private static bool MakesAnUnheldScalar(MethodBase method) => MakesAScalar(method, depth: 3);

    private static bool MakesAScalar(MethodBase method, int depth) =>
        (method.DeclaringType == typeof(Scalar) && method.Name == "op_Implicit")
        || (method.DeclaringType?.Assembly == typeof(Scalar).Assembly && depth > 0 && method.GetMethodBody() is not null
            && Callees(method).Any(c => MakesAScalar(c, depth - 1)));

    /// <summary>The methods <paramref name="method"/>'s IL calls (call, callvirt, newobj).</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        for (var i = 0; i < il.Length;)
        {
            var (opCode, size) = Read(il, i);
            if ((opCode == OpCodes.Call || opCode == OpCodes.Callvirt || opCode == OpCodes.Newobj) && ResolveMethod(method, BitConverter.ToInt32(il, i + size)) is { } callee)
            {
                yield return callee;
            }

            i += size + OperandSize(opCode, il, i + size);
        }
    }

    private static MethodBase? ResolveMethod(MethodBase method, int token)
    {
        try
        {
            return method.Module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(), method.IsGenericMethod ? method.GetGenericArguments() : null);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static (OpCode OpCode, int Size) Read(byte[] il, int at) =>
        il[at] == 0xFE ? (OpCodesByValue[(short)(0xFE00 | il[at + 1])], 2) : (OpCodesByValue[il[at]], 1);

    private static int OperandSize(OpCode opCode, byte[] il, int at) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
