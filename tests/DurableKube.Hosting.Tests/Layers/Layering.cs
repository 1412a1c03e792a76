namespace DurableKube.Hosting.Tests.Layers;

/// <summary>
/// The layering of docs/architecture.md (Layers) as data: which of our projects each one may reference, which
/// third-party assemblies the two bottom layers may use, and the rule an arrow that breaks them breaks.
/// </summary>
internal static class Layering
{
    public const string Domain = "DurableKube.Domain";
    public const string Ports = "DurableKube.Ports";
    public const string Registry = "DurableKube.Registry";
    public const string Api = "DurableKube.Api";
    public const string Workflows = "DurableKube.Workflows";
    public const string Store = "DurableKube.Store.AzureStorage";
    public const string Runtime = "DurableKube.Runtime.Process";
    public const string RuntimeAci = "DurableKube.Runtime.Aci";
    public const string RuntimeDocker = "DurableKube.Runtime.Docker";
    public const string Hosting = "DurableKube.Hosting";
    public const string LocalHost = "DurableKube.LocalHost";
    public const string Functions = "DurableKube.Functions";

    private const string Source = "(docs/architecture.md, Layers)";

    private static readonly string[] Adapters = [Store, Runtime, RuntimeAci, RuntimeDocker];

    private static readonly string[] Hosts = [LocalHost, Functions];

    private static readonly string[] BelowHosts = [Domain, Ports, Registry, Api, Workflows, Store, Runtime, RuntimeAci, RuntimeDocker];

    /// <summary>Gets each of our projects and the projects of ours it may reference: arrows point down only.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> MayReference { get; } = new Dictionary<string, IReadOnlySet<string>>
    {
        [Domain] = Set(),
        [Ports] = Set(Domain),
        [Registry] = Set(Domain, Ports),
        [Api] = Set(Domain, Ports, Registry),
        [Workflows] = Set(Domain, Ports, Registry),
        [Store] = Set(Domain, Ports),
        [Runtime] = Set(Domain, Ports),
        [RuntimeAci] = Set(Domain, Ports),
        [RuntimeDocker] = Set(Domain, Ports),
        [Hosting] = Set(BelowHosts),
        [LocalHost] = Set([.. BelowHosts, Hosting]),
        [Functions] = Set([.. BelowHosts, Hosting]),
    };

    /// <summary>
    /// Gets the only third-party assemblies (and packages) the domain may use, as name prefixes that match whole
    /// dotted segments. It is pure: the base library, the Kubernetes model, YAML and the Microsoft.Extensions
    /// abstractions, and nothing of Azure, Durable Task or ASP.NET Core.
    /// </summary>
    public static IReadOnlyList<string> DomainMayUse { get; } =
    [
        "System",
        "KubernetesClient",
        "YamlDotNet",
        "Microsoft.Extensions.Primitives",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Configuration.Abstractions",
    ];

    /// <summary>Gets the third-party assemblies (and packages) the ports may not use, as name prefixes that match whole dotted segments.</summary>
    public static IReadOnlyList<string> PortsMayNotUse { get; } =
    [
        "Azure",
        "Microsoft.Azure",
        "DurableTask",
        "Microsoft.DurableTask",
        "Microsoft.AspNetCore",
    ];

    /// <summary>
    /// Every arrow from <paramref name="from"/> that breaks the layering, each as "from -> to: rule (where the doc says so)".
    /// </summary>
    /// <param name="from">The project whose references these are.</param>
    /// <param name="ours">The projects of ours it references.</param>
    /// <param name="thirdParty">The other assemblies or packages it references.</param>
    public static IReadOnlyList<string> Violations(string from, IEnumerable<string> ours, IEnumerable<string> thirdParty) =>
    [
        .. ours.Distinct().Order(StringComparer.Ordinal).Select(to => Check(from, to)).OfType<string>(),
        .. thirdParty.Distinct().Order(StringComparer.Ordinal).Select(to => CheckThirdParty(from, to)).OfType<string>(),
    ];

    /// <summary>The rule the arrow between two of our projects breaks, or null if the layering allows it.</summary>
    public static string? Check(string from, string to)
    {
        if (!MayReference.TryGetValue(from, out var allowed))
        {
            return $"{from} -> {to}: {from} has no place in the layering; give it a row in {nameof(Layering)} and in the doc {Source}";
        }

        if (!MayReference.ContainsKey(to))
        {
            return $"{from} -> {to}: {to} has no place in the layering; give it a row in {nameof(Layering)} and in the doc {Source}";
        }

        if (allowed.Contains(to))
        {
            return null;
        }

        var rule = (from, to) switch
        {
            _ when Hosts.Contains(to) => "nothing references a host",
            (Domain, _) => "the domain is the bottom layer and references nothing of ours",
            (Api, Workflows) or (Workflows, Api) => "Api and Workflows sit side by side",
            _ when Adapters.Contains(from) && Adapters.Contains(to) => "adapters sit side by side and never reference each other",
            _ when Adapters.Contains(from) => "an adapter implements the ports and references only Domain and Ports",
            _ when Adapters.Contains(to) => "only the composition and the hosts reference an adapter; the layers above reach it through the ports",
            (_, Hosting) => "only the hosts reference the composition",
            _ => $"arrows point down only: {Short(from)} may reference only {string.Join(", ", allowed.Order(StringComparer.Ordinal).Select(Short))}",
        };
        return $"{from} -> {to}: {rule} {Source}";
    }

    /// <summary>The rule the arrow from one of our projects to a third-party assembly or package breaks, or null if none does.</summary>
    public static string? CheckThirdParty(string from, string to) => from switch
    {
        Domain when !DomainMayUse.Any(prefix => Matches(to, prefix)) =>
            $"{from} -> {to}: the domain is pure and uses only {string.Join(", ", DomainMayUse)} {Source}",
        Ports when PortsMayNotUse.Any(prefix => Matches(to, prefix)) =>
            $"{from} -> {to}: the ports are defined in the domain's vocabulary, without Azure, Durable Task or ASP.NET Core {Source}",
        _ => null,
    };

    private static bool Matches(string name, string prefix) =>
        name.Equals(prefix, StringComparison.OrdinalIgnoreCase) || name.StartsWith(prefix + ".", StringComparison.OrdinalIgnoreCase);

    private static string Short(string project) => project.StartsWith("DurableKube.", StringComparison.Ordinal) ? project["DurableKube.".Length..] : project;

    private static HashSet<string> Set(params string[] projects) => new(projects, StringComparer.Ordinal);
}
