using ArchUnitNET.Domain;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Likeness.Architecture.Tests;

/// <summary>
/// The dependency rules of CONVENTIONS.md, checked on the compiled assemblies: the domain knows nothing of gRPC, protobuf
/// or ASP.NET Core (gRPC services map at the edge), the two hosts never reference each other, training needs no
/// generation domain, and no project's feature folders depend on each other in a cycle.
/// </summary>
public sealed class DependencyRulesUnitTests
{
    /// <summary>The domain: the model, identity, generation, training and what they share. No transport here.</summary>
    private static readonly string[] Domain =
        ["Likeness.Core", "Likeness.Media", "Likeness.Model", "Likeness.Identity", "Likeness.Generation", "Likeness.Training"];

    /// <summary>Every project of services/ by root namespace: the domain, then the contracts, hosts, clients and tools.</summary>
    private static readonly string[] Projects =
    [
        .. Domain,
        "Likeness.Contracts", "Likeness.ServiceDefaults", "Likeness.Encoder", "Likeness.Generator", "Likeness.Host",
        "Likeness.Client", "Likeness.Cli", "Likeness.Trainer",
    ];

    /// <summary>Projects whose assembly is named otherwise than their root namespace.</summary>
    private static readonly Dictionary<string, string> AssemblyNames = new()
    {
        ["Likeness.Cli"] = "likeness",
        ["Likeness.Trainer"] = "likeness-train",
    };

    private static readonly ArchUnitNET.Domain.Architecture Services =
        new ArchLoader().LoadAssemblies([.. Projects.Select(Load)]).Build();

    /// <summary>What the domain must not see: gRPC, protobuf (and the messages generated from the protos), ASP.NET Core.</summary>
    private const string Transports = @"^(Grpc|Google\.Protobuf|Likeness\.Contracts|Microsoft\.AspNetCore)(\.|$)";

    public static TheoryData<string> DomainProjects { get; } = [.. Domain];

    public static TheoryData<string> AllProjects { get; } = [.. Projects];

    [Fact]
    public void EveryServiceProject_IsChecked()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Services.sln")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        var services = Directory.GetFiles(Path.Combine(folder.FullName, "services"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(services.Order(StringComparer.Ordinal), Projects.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DomainProjects))]
    public void DomainProject_DependsOnNoGrpcProtobufOrAspNetCore(string project)
    {
        Types().That().ResideInAssembly(Load(project))
            // ONNX files are protobuf messages: importing BlazeFace reads one through OnnxSharp's generated classes, whose
            // collections are Google.Protobuf types. A model file read offline by likeness-train, not the service contract.
            .And().DoNotHaveFullNameMatching(@"^Likeness\.Training\.Faces\.BlazeFaceImport\b")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Transports)
            .Because("the domain knows nothing of gRPC, protobuf or ASP.NET Core: gRPC services map at the edge")
            .Check(Services);
    }

    [Theory]
    [InlineData("Likeness.Encoder", "Likeness.Generator")]
    [InlineData("Likeness.Generator", "Likeness.Encoder")]
    public void Host_DoesNotReferenceTheOtherHost(string host, string other)
    {
        Types().That().ResideInAssembly(Load(host))
            .Should().NotDependOnAnyTypesThat().ResideInAssembly(Load(other))
            .Because("each host exposes an AddXxx() composition method, and only the embedded host composes both")
            .Check(Services);
        Assert.DoesNotContain(Load(host).GetReferencedAssemblies(), name => name.Name == other);
    }

    [Fact]
    public void Training_DoesNotDependOnGeneration()
    {
        Types().That().ResideInAssembly(Load("Likeness.Training"))
            .Should().NotDependOnAnyTypesThat().ResideInAssembly(Load("Likeness.Generation"))
            .Because("training needs the identity domain and media, not the generator's domain")
            .Check(Services);
        Assert.DoesNotContain(Load("Likeness.Training").GetReferencedAssemblies(), name => name.Name == "Likeness.Generation");
    }

    [Theory]
    [MemberData(nameof(AllProjects))]
    public void Project_FeatureFoldersAreFreeOfCycles(string project)
    {
        var slices = new SliceRuleCreator();
        slices.SetSliceAssignment(new SliceAssignment(type => FeatureFolder(type, project), $"by feature folder of {project}"));
        new GivenSlices(slices).Should().BeFreeOfCycles().Check(Services);
    }

    /// <summary>
    /// A type's slice: the first namespace segment under <paramref name="project"/>, so a folder and its subfolders are one
    /// slice (<c>Faces/Internal/</c> belongs to <c>Faces/</c>, whose public types it uses). ArchUnitNET's
    /// <c>Matching("Likeness.Model.(*)")</c> makes every namespace its own slice and would call that layout a cycle.
    /// Types at a project's root, its composition methods, belong to no slice: they may use every folder.
    /// </summary>
    private static SliceIdentifier FeatureFolder(IType type, string project)
    {
        var prefix = project + ".";
        var name = type.Namespace.FullName;
        return name.StartsWith(prefix, StringComparison.Ordinal)
            ? SliceIdentifier.Of(name[prefix.Length..].Split('.')[0])
            : SliceIdentifier.Ignore();
    }

    private static System.Reflection.Assembly Load(string project) =>
        System.Reflection.Assembly.Load(AssemblyNames.GetValueOrDefault(project, project));
}
