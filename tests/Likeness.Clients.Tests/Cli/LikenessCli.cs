using Likeness.Testing;

namespace Likeness.Clients.Tests.Cli;

/// <summary>Runs the built <c>likeness</c> CLI as a child process against the separate services.</summary>
internal static class LikenessCli
{
    /// <summary>The CLI's assembly, built beside the tests.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "likeness.dll");

    /// <summary>The options that point the CLI at <paramref name="services"/>, signed in with their token.</summary>
    public static string[] Where(SeparateServices services) =>
        ["--encoder", services.Encoder.Address.ToString(), "--generator", services.Generator.Address.ToString(), "--token", services.Token];

    /// <summary>Runs the CLI with <paramref name="args"/> to its end.</summary>
    public static Task<ChildProcess> RunAsync(SeparateServices services, TimeSpan patience, params string[] args) =>
        ChildProcess.RunAsync("dotnet", [Dll, .. args, .. Where(services)], patience);
}
