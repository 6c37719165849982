namespace LiteKube.Benchmarks.Api;

/// <summary>How big one api run is. <see cref="Full"/> is the scenario; <see cref="Quick"/>
/// is a smoke run of the same phases that finishes in well under a minute.</summary>
public sealed record ApiBenchmarkSize(
    string Name,
    int Namespaces,
    int PodsPerNamespace,
    int Watchers,
    int LoadClients,
    double WritesPerSecond,
    TimeSpan ChurnDuration,
    double GetsPerSecond,
    double NamespaceListsPerSecond,
    TimeSpan ClusterListPause,
    TimeSpan IdleSettle)
{
    public int Pods => Namespaces * PodsPerNamespace;

    public static ApiBenchmarkSize Full { get; } = new(
        "full", Namespaces: 50, PodsPerNamespace: 100, Watchers: 1_000, LoadClients: 16,
        WritesPerSecond: 20, ChurnDuration: TimeSpan.FromSeconds(60),
        GetsPerSecond: 10, NamespaceListsPerSecond: 2, ClusterListPause: TimeSpan.FromSeconds(1), IdleSettle: TimeSpan.FromSeconds(15));

    public static ApiBenchmarkSize Quick { get; } = new(
        "quick", Namespaces: 5, PodsPerNamespace: 20, Watchers: 50, LoadClients: 4,
        WritesPerSecond: 20, ChurnDuration: TimeSpan.FromSeconds(10),
        GetsPerSecond: 10, NamespaceListsPerSecond: 2, ClusterListPause: TimeSpan.FromSeconds(1), IdleSettle: TimeSpan.FromSeconds(3));

    public string Describe() =>
        $"{Pods:N0} pods in {Namespaces} namespaces, {Watchers:N0} watchers, {WritesPerSecond:0} writes/s of churn for {ChurnDuration.TotalSeconds:0} s";
}
