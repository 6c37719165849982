using System.Text;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.Datastore.Tests.Recovery;

/// <summary>
/// Kill -9 a process writing to the RocksDB store at a random moment, reopen the directory, and
/// check that every acknowledged write is there and nothing is half-applied. The runs share one
/// directory, so later runs also crash a store that was itself recovered from a crash.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Runs = 4;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("litekube-crash-");

    private string StoreDirectory => Path.Combine(_root.FullName, "db");

    public void Dispose() => _root.Delete(recursive: true);

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Every_acknowledged_write_survives_a_SIGKILL_and_nothing_is_half_applied()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var acks = new List<Ack>();
        var postCrashWrites = new Dictionary<long, string>();

        for (var run = 0; run < Runs; run++)
        {
            var context = $"run {run}, seed {seed}";
            var killAfter = random.Next(100, 600);
            await using (var child = CrashChild.Start(StoreDirectory, $"r{run}", writers: 4))
            {
                await child.ReadyAsync();
                await child.WaitForAcksAsync(killAfter);
                await Task.Delay(random.Next(0, 50)); // lands the kill at a random point between acks
                acks.AddRange(await child.KillAsync());
            }

            await using var store = LocalStore.OpenRocksDb(StoreDirectory);
            var current = (await store.RangeAsync(new RangeRequest([0], [0]) { CountOnly = true })).Revision;
            await VerifyKeysAsync(store, acks, current, context);
            await VerifyHistoryAsync(store, acks, postCrashWrites, current, context);

            var post = await store.PutAsync(new PutRequest(B($"post/{run}"), B("after the crash")));
            Assert.True(post.Revision == current + 1, $"{context}: a write after recovery got revision {post.Revision}, expected {current + 1}");
            postCrashWrites[post.Revision] = $"post/{run}";
        }
    }

    /// <summary>The current state: every ack is there with its value and revision; pairs are whole.</summary>
    private static async Task VerifyKeysAsync(IKeyValueStore store, List<Ack> acks, long current, string context)
    {
        var revisions = acks.Select(a => a.Revision).ToList();
        Assert.True(revisions.Distinct().Count() == revisions.Count, $"{context}: two acknowledged writes share a revision");
        Assert.True(current >= revisions.Max(), $"{context}: the store reopened at revision {current}, below the acknowledged {revisions.Max()}");

        var kvs = (await store.RangeAsync(new RangeRequest([0], [0]))).Kvs.ToDictionary(kv => S(kv.Key));
        var deletes = acks.Where(a => a.Kind == "del").ToDictionary(a => a.Id);

        void Expect(string key, string id, long revision, string why)
        {
            Assert.True(kvs.TryGetValue(key, out var kv), $"{context}: {key} ({why} at revision {revision}) is missing");
            Assert.True(S(kv.Value) == id && kv.ModRevision == revision && kv.CreateRevision == revision && kv.Version == 1,
                $"{context}: {key} ({why} at revision {revision}) reads value {S(kv.Value)}, create {kv.CreateRevision}, mod {kv.ModRevision}, version {kv.Version}");
        }

        foreach (var ack in acks)
        {
            switch (ack.Kind)
            {
                case "txn":
                    Expect($"a/{ack.Id}", ack.Id, ack.Revision, "acknowledged txn");
                    Expect($"b/{ack.Id}", ack.Id, ack.Revision, "acknowledged txn");
                    break;
                case "del":
                    Assert.False(kvs.ContainsKey($"p/{ack.Id}"), $"{context}: p/{ack.Id} is back after its acknowledged delete at {ack.Revision}");
                    Expect($"d/{ack.Id}", ack.Id, ack.Revision, "acknowledged delete txn");
                    break;
                case "put" when !deletes.ContainsKey(ack.Id) && !kvs.ContainsKey($"d/{ack.Id}"):
                    Expect($"p/{ack.Id}", ack.Id, ack.Revision, "acknowledged put");
                    break;
            }
        }

        foreach (var (key, kv) in kvs)
        {
            var (kind, id) = (key[..2], key[2..]);
            var partner = kind switch { "a/" => $"b/{id}", "b/" => $"a/{id}", _ => null };
            Assert.True(partner is null || (kvs.TryGetValue(partner, out var other) && other.ModRevision == kv.ModRevision),
                $"{context}: {key} (revision {kv.ModRevision}) is there without {partner} from the same txn");
            Assert.False(kind == "d/" && kvs.ContainsKey($"p/{id}"), $"{context}: {key} is there but the p/{id} its txn deleted is too");
            Assert.True(kv.ModRevision <= current, $"{context}: {key} has revision {kv.ModRevision} above the current {current}");
        }
    }

    /// <summary>History: every revision from 2 to the current one is there, and the acknowledged
    /// ones hold exactly the events of their write.</summary>
    private static async Task VerifyHistoryAsync(IKeyValueStore store, List<Ack> acks, Dictionary<long, string> postCrashWrites, long current, string context)
    {
        var events = new List<WatchEvent>();
        await using (var watch = store.Watch(new WatchRequest([0], [0]) { StartRevision = 2 }))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (events.Count == 0 || events[^1].Kv.ModRevision < current)
            {
                var batch = await watch.Batches.ReadAsync(timeout.Token);
                Assert.False(batch.Canceled, $"{context}: the history watch was canceled: {batch.CancelReason}");
                events.AddRange(batch.Events);
            }
        }

        var byRevision = events.GroupBy(e => e.Kv.ModRevision).ToDictionary(g => g.Key, g => g.ToList());
        var gaps = Enumerable.Range(2, (int)current - 1).Select(r => (long)r).Where(r => !byRevision.ContainsKey(r)).Take(5).ToList();
        Assert.True(gaps.Count == 0, $"{context}: revisions {string.Join(", ", gaps)} have no events (current {current})");

        string Shape(List<WatchEvent> group) =>
            string.Join(" ", group.Select(e => $"{e.Type}:{S(e.Kv.Key)}").Order(StringComparer.Ordinal));

        foreach (var ack in acks)
        {
            var expected = ack.Kind switch
            {
                "put" => $"Put:p/{ack.Id}",
                "txn" => $"Put:a/{ack.Id} Put:b/{ack.Id}",
                _ => $"Delete:p/{ack.Id} Put:d/{ack.Id}",
            };
            Assert.True(Shape(byRevision[ack.Revision]) == expected,
                $"{context}: revision {ack.Revision} ({ack.Kind} {ack.Id}) holds [{Shape(byRevision[ack.Revision])}], expected [{expected}]");
        }
        foreach (var (revision, key) in postCrashWrites)
        {
            Assert.Equal($"Put:{key}", Shape(byRevision[revision]));
        }
    }
}
