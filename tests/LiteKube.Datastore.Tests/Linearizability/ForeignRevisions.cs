using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>
/// Revisions that writers outside the history made, outside its keys: a litekube server's own
/// API server and node agent keep writing (node leases, API server leases) while a history runs.
/// A watch on the rest of the keyspace records them; with their revisions known, the model
/// stays exact instead of merely requiring revisions to grow.
/// </summary>
/// <remarks>
/// Where a foreign write falls among the history's operations is not recorded, and need not be:
/// a write of the history takes the first revision after its predecessor's that no foreign writer
/// took, and an operation that changes nothing answers at its predecessor's revision or at any
/// foreign revision that directly follows it (the one it reports). Empty: the plain model.
/// </remarks>
public sealed class ForeignRevisions(IReadOnlySet<long> revisions)
{
    public static ForeignRevisions None { get; } = new(new HashSet<long>());

    public int Count => revisions.Count;

    public bool Contains(long revision) => revisions.Contains(revision);

    /// <summary><see cref="KvSemantics.Evaluate"/> with the foreign writes placed.</summary>
    public KvEvaluation Evaluate(KvState state, KvOperation operation)
    {
        if (revisions.Count == 0)
        {
            return KvSemantics.Evaluate(state, operation.Request);
        }

        var latest = state.Revision;
        while (revisions.Contains(latest + 1))
        {
            latest++;
        }

        var atLatest = KvSemantics.Evaluate(At(state, latest), operation.Request);
        if (atLatest.Next.Revision != latest)
        {
            // It wrote: at the first revision no foreign writer took.
            return atLatest;
        }

        var observed = operation.Outcome is Returned returned ? HeaderRevision(returned.Result) : null;
        var at = observed is { } o && o >= state.Revision && o <= latest ? o : state.Revision;
        return at == latest ? atLatest : KvSemantics.Evaluate(At(state, at), operation.Request);
    }

    private static KvState At(KvState state, long revision) =>
        revision == state.Revision ? state : state.With(revision, state.Keys);

    private static long? HeaderRevision(object result) => result switch
    {
        RangeResult r => r.Revision,
        PutResult p => p.Revision,
        DeleteRangeResult d => d.Revision,
        TxnResult t => t.Revision,
        LeaseGrantResult g => g.Revision,
        LeaseRevokeResult v => v.Revision,
        _ => null,
    };
}
