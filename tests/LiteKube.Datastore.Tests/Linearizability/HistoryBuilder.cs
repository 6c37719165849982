using System.Text;
using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>Handcrafted KV histories for the checker's own tests: times are plain integers
/// (one tick = one millisecond in reports).</summary>
internal sealed class HistoryBuilder
{
    private readonly List<HistoryEntry<KvOperation>> _entries = [];

    public IReadOnlyList<HistoryEntry<KvOperation>> Entries => _entries;

    public HistoryBuilder Add(int client, long call, long returned, KvRequest request, KvOutcome outcome)
    {
        _entries.Add(new HistoryEntry<KvOperation>(client, call, returned, new KvOperation(request, outcome)));
        return this;
    }

    public HistoryBuilder Put(int client, long call, long returned, string key, string value, long revision, long lease = 0) =>
        Add(client, call, returned, PutOf(key, value, lease), new Returned(new PutResult(revision, null)));

    /// <summary>A single-key read; <paramref name="found"/> is (value, create, mod, version) or null.</summary>
    public HistoryBuilder Get(int client, long call, long returned, string key, long revision, (string Value, long Create, long Mod, long Version)? found, long lease = 0)
    {
        KeyValue[] kvs = found is { } f ? [new KeyValue(B(key), B(f.Value), f.Create, f.Mod, f.Version, lease)] : [];
        return Add(client, call, returned, new RangeCall(new RangeRequest(B(key))), new Returned(new RangeResult(revision, kvs, false, kvs.Length)));
    }

    public HistoryBuilder UnknownPut(int client, long call, string key, string value) =>
        Add(client, call, HistoryEntry<KvOperation>.Never, PutOf(key, value, 0), new Unknown("timeout"));

    public CheckResult Check(long initialRevision = 1, long maxSteps = 1_000_000, params long[] foreign) =>
        new LinearizabilityChecker<KvState, KvOperation>(new KvModel(new ForeignRevisions(foreign.ToHashSet()))) { MaxSteps = maxSteps, TicksPerMillisecond = 1 }
            .Check(KvState.Empty(initialRevision), _entries);

    public static PutCall PutOf(string key, string value, long lease) => new(new PutRequest(B(key), B(value)) { Lease = lease });

    public static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
