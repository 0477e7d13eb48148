using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Likeness.Architecture.Tests;

/// <summary>
/// How Likeness logs: each project declares its events in one table, a static <c>*Log</c> class of
/// <see cref="LoggerMessageAttribute"/> methods, and event ids are unique across every project (dashboards and alerts key
/// on them).
/// </summary>
public sealed class LoggingRulesUnitTests
{
    private static readonly string[] Projects =
    [
        "Likeness.Core", "Likeness.Media", "Likeness.Model", "Likeness.Identity", "Likeness.Generation", "Likeness.Training",
        "Likeness.ServiceDefaults", "Likeness.Encoder", "Likeness.Generator", "Likeness.Host", "Likeness.Client", "likeness", "likeness-train",
    ];

    private static readonly List<(string Project, MethodInfo Method, LoggerMessageAttribute Event)> Events =
    [
        .. from project in Projects
           from type in Assembly.Load(project).GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
           let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
           where attribute is not null
           select (project, method, attribute),
    ];

    [Fact]
    public void EventIds_AreUniqueAcrossLikeness()
    {
        var repeated = Events.GroupBy(e => e.Event.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => $"{e.Method.DeclaringType!.Name}.{e.Method.Name}"))}").ToList();

        Assert.NotEmpty(Events);
        Assert.True(repeated.Count == 0, "event ids used twice: " + string.Join("; ", repeated));
    }

    [Fact]
    public void EachProject_DeclaresItsEventsInOneLogTable()
    {
        var tables = Events.GroupBy(e => e.Project)
            .Select(g => (Project: g.Key, Tables: g.Select(e => e.Method.DeclaringType!).Distinct().ToList())).ToList();

        Assert.All(tables, t =>
        {
            Assert.True(t.Tables.Count == 1, $"{t.Project} declares log events in {string.Join(", ", t.Tables.Select(c => c.FullName))}");
            Assert.True(t.Tables[0] is { IsAbstract: true, IsSealed: true } && t.Tables[0].Name.EndsWith("Log", StringComparison.Ordinal),
                $"{t.Project}'s log table {t.Tables[0].FullName} is not a static *Log class");
        });
    }
}
