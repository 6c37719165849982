using System.Collections.Immutable;
using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>What a request does to a <see cref="KvState"/>: the next state and either the result a
/// correct store answers or the error it fails with.</summary>
public sealed record KvEvaluation(KvState Next, object? Result, DatastoreError? Error)
{
    public static KvEvaluation Fail(KvState unchanged, DatastoreError error) => new(unchanged, null, error);
}

/// <summary>
/// The etcd v3 semantics of the calls a history records, written from etcd's documentation and
/// server code (mvcc kvstore_txn.go, apply.go's applyCompare, lessor.Revoke), independent of
/// LocalStore's implementation: one global revision, +1 for every request that changes a key;
/// per-key create/mod revision and version; leases whose revoke deletes their keys in one revision.
/// </summary>
/// <remarks>Options the model does not follow (historical or serializable reads, limits, sorting
/// other than by key, filters, ignore_value/ignore_lease, nested txns) throw
/// <see cref="NotSupportedException"/> naming them, so a history can never be checked against a
/// model that silently ignores part of it.</remarks>
public static partial class KvSemantics
{
    public static KvEvaluation Evaluate(KvState state, KvRequest request) => request switch
    {
        RangeCall r => new KvEvaluation(state, Range(state.Keys, state.Revision, r.Request), null),
        PutCall p => Single(state, keys => Put(keys, state.Leases, state.Revision + 1, p.Request)),
        DeleteCall d => Single(state, keys => Delete(keys, state.Revision + 1, d.Request)),
        TxnCall t => Txn(state, t.Request),
        LeaseGrantCall g => LeaseGrant(state, g),
        LeaseRevokeCall v => LeaseRevoke(state, v.Id),
        _ => throw new NotSupportedException($"the KV model does not know {request.GetType().Name}"),
    };

    /// <summary>Runs one write; the revision moves only when a key changed.</summary>
    private static KvEvaluation Single(KvState state, Func<WriteSet, object> write)
    {
        var keys = new WriteSet(state.Keys);
        try
        {
            var result = write(keys);
            return keys.Changed
                ? new KvEvaluation(state.With(state.Revision + 1, keys.Build()), WithRevision(result, state.Revision + 1), null)
                : new KvEvaluation(state, WithRevision(result, state.Revision), null);
        }
        catch (ModelError error)
        {
            return KvEvaluation.Fail(state, error.Code);
        }
    }

    internal static RangeResult Range(IReadOnlyDictionary<string, KeyState> keys, long revision, RangeRequest request)
    {
        if (request.Revision != 0 || request.Limit != 0 || request.Serializable || request.KeysOnly || request.CountOnly
            || request.MinModRevision != 0 || request.MaxModRevision != 0 || request.MinCreateRevision != 0 || request.MaxCreateRevision != 0
            || !(request.SortOrder == SortOrder.None || (request.SortOrder == SortOrder.Ascend && request.SortTarget == SortTarget.Key)))
        {
            throw new NotSupportedException("the KV model checks only current, linearizable, unsorted, unfiltered, unlimited ranges");
        }

        var found = KeysIn(keys, request.Key, request.RangeEnd)
            .Select(k => ToKeyValue(k, keys[k]))
            .ToArray();
        return new RangeResult(revision, found, false, found.Length);
    }

    internal static PutResult Put(WriteSet keys, ImmutableSortedSet<long> leases, long revision, PutRequest request)
    {
        if (request.IgnoreValue || request.IgnoreLease)
        {
            throw new NotSupportedException("the KV model does not follow ignore_value or ignore_lease");
        }
        if (request.Key.Length == 0)
        {
            throw new ModelError(DatastoreError.EmptyKey);
        }
        if (request.Lease != 0 && !leases.Contains(request.Lease))
        {
            throw new ModelError(DatastoreError.LeaseNotFound);
        }

        var key = KvText.Bytes(request.Key);
        var previous = keys.Get(key);
        keys.Set(key, new KeyState(
            KvText.Bytes(request.Value),
            previous?.Create ?? revision,
            revision,
            (previous?.Version ?? 0) + 1,
            request.Lease));
        return new PutResult(revision, request.PrevKv && previous is { } p ? ToKeyValue(key, p) : null);
    }

    internal static DeleteRangeResult Delete(WriteSet keys, long revision, DeleteRangeRequest request)
    {
        var doomed = KeysIn(keys.Current, request.Key, request.RangeEnd).ToArray();
        var previous = doomed.Select(k => ToKeyValue(k, keys.Current[k])).ToArray();
        foreach (var key in doomed)
        {
            keys.Remove(key);
        }
        return new DeleteRangeResult(revision, doomed.Length, request.PrevKv ? previous : []);
    }

    private static KvEvaluation LeaseGrant(KvState state, LeaseGrantCall grant)
    {
        if (grant.Id <= 0)
        {
            throw new NotSupportedException("the KV model needs lease grants with an id the client picked");
        }
        return state.Leases.Contains(grant.Id)
            ? KvEvaluation.Fail(state, DatastoreError.LeaseExists)
            : new KvEvaluation(state.WithLeases(state.Leases.Add(grant.Id)), new LeaseGrantResult(state.Revision, grant.Id, grant.Ttl), null);
    }

    private static KvEvaluation LeaseRevoke(KvState state, long id)
    {
        if (!state.Leases.Contains(id))
        {
            return KvEvaluation.Fail(state, DatastoreError.LeaseNotFound);
        }
        var attached = state.Keys.Where(k => k.Value.Lease == id).Select(k => k.Key).ToArray();
        var withoutLease = state.WithLeases(state.Leases.Remove(id));
        if (attached.Length == 0)
        {
            return new KvEvaluation(withoutLease, new LeaseRevokeResult(state.Revision), null);
        }
        var next = withoutLease.With(state.Revision + 1, state.Keys.RemoveRange(attached));
        return new KvEvaluation(next, new LeaseRevokeResult(next.Revision), null);
    }

    /// <summary>Keys of the request's range in byte order: the single key when RangeEnd is empty,
    /// [Key, RangeEnd) otherwise, with etcd's "\0" meaning "to the end".</summary>
    internal static IEnumerable<string> KeysIn(IReadOnlyDictionary<string, KeyState> keys, byte[] from, byte[]? to)
    {
        var start = KvText.Bytes(from);
        if (to is null || to.Length == 0)
        {
            return keys.ContainsKey(start) ? [start] : [];
        }
        var end = KvText.Bytes(to);
        var all = from.Length == 1 && from[0] == 0 && end == "\0";
        return keys.Keys
            .Where(k => all || (string.CompareOrdinal(k, start) >= 0 && (end == "\0" || string.CompareOrdinal(k, end) < 0)))
            .Order(StringComparer.Ordinal);
    }

    internal static KeyValue ToKeyValue(string key, KeyState state) =>
        new(KvText.Raw(key), KvText.Raw(state.Value), state.Create, state.Mod, state.Version, state.Lease);

    private static object WithRevision(object result, long revision) => result switch
    {
        PutResult p => p with { Revision = revision },
        DeleteRangeResult d => d with { Revision = revision },
        _ => result,
    };

    /// <summary>An error etcd answers for the request; the request changes nothing.</summary>
    internal sealed class ModelError(DatastoreError code) : Exception(code.ToString())
    {
        public DatastoreError Code { get; } = code;
    }
}
