using System.Globalization;

namespace LiteKube.Benchmarks.Api;

/// <summary>
/// The pods the benchmark writes: about 1 KiB of JSON each, shaped like a small Deployment's pod
/// (labels, a bound node, one container with a port, env and resources). The annotation
/// <see cref="SentAnnotation"/> carries the Stopwatch timestamp taken just before the write, so a
/// watcher measures delivery from the moment the write was sent.
/// </summary>
public static class PodManifest
{
    public const string SentAnnotation = "bench.litekube.io/sent";

    public static string Namespace(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-{index:D3}");

    public static string Name(int index) => string.Create(CultureInfo.InvariantCulture, $"pod-{index:D5}");

    public static string NamespaceJson(string name) =>
        $$$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{{name}}}}"}}""";

    public static string Json(string ns, string name, int shard, long sentTimestamp) => string.Create(CultureInfo.InvariantCulture, $$$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{{name}}}}","namespace":"{{{{ns}}}}",
        "labels":{"app":"bench","shard":"{{{{shard}}}}","pod-template-hash":"6d4cf56db6"},
        "annotations":{"{{{{SentAnnotation}}}}":"{{{{sentTimestamp}}}}"}},
        "spec":{"nodeName":"bench-node-{{{{shard % 10}}}}","restartPolicy":"Always","terminationGracePeriodSeconds":30,
        "containers":[{"name":"app","image":"registry.k8s.io/pause:3.10","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
        "env":[{"name":"MODE","value":"benchmark"},{"name":"SHARD","value":"{{{{shard}}}}"}],
        "resources":{"requests":{"cpu":"10m","memory":"16Mi"},"limits":{"memory":"32Mi"}}}]}}
        """);

    /// <summary>A merge patch that touches only the sent annotation: one small update per write.</summary>
    public static string TouchPatch(long sentTimestamp) => string.Create(CultureInfo.InvariantCulture,
        $$$$"""{"metadata":{"annotations":{"{{{{SentAnnotation}}}}":"{{{{sentTimestamp}}}}"}}}""");
}
