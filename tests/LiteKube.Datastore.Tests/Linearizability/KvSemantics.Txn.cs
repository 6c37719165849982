using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Linearizability;

public static partial class KvSemantics
{
    /// <summary>Compares see the state before the txn; the chosen branch's ops run in order, reads
    /// seeing earlier writes; every write of the txn shares one revision.</summary>
    private static KvEvaluation Txn(KvState state, TxnRequest request)
    {
        if (HasDuplicateWrites(request.Success) || HasDuplicateWrites(request.Failure))
        {
            return KvEvaluation.Fail(state, DatastoreError.DuplicateKey);
        }

        var succeeded = request.Compare.All(c => Holds(state, c));
        var keys = new WriteSet(state.Keys);
        var revision = state.Revision + 1;
        var responses = new List<object>();
        try
        {
            foreach (var op in succeeded ? request.Success : request.Failure)
            {
                responses.Add(op switch
                {
                    TxnRangeOp r => Range(keys.Current, revision, r.Request),
                    TxnPutOp p => Put(keys, state.Leases, revision, p.Request),
                    TxnDeleteOp d => Delete(keys, revision, d.Request),
                    _ => throw new NotSupportedException("the KV model does not follow nested txns"),
                });
            }
        }
        catch (ModelError error)
        {
            return KvEvaluation.Fail(state, error.Code);
        }

        return keys.Changed
            ? new KvEvaluation(state.With(revision, keys.Build()), new TxnResult(revision, succeeded, responses), null)
            : new KvEvaluation(state, new TxnResult(state.Revision, succeeded, responses), null);
    }

    /// <summary>etcd's applyCompare: every key in the range must satisfy the compare; an empty range
    /// compares as one missing key (all numbers 0), except that a value compare then fails.</summary>
    internal static bool Holds(KvState state, Compare compare)
    {
        var keys = KeysIn(state.Keys, compare.Key, compare.RangeEnd).ToArray();
        if (keys.Length == 0)
        {
            return compare.Target != CompareTarget.Value && Satisfies(compare, Measure(compare, null));
        }
        return keys.All(k => Satisfies(compare, Measure(compare, state.Keys[k])));
    }

    private static int Measure(Compare compare, KeyState? key) => compare.Target switch
    {
        CompareTarget.Value => KvText.Raw(key?.Value ?? "").AsSpan().SequenceCompareTo(compare.Value),
        CompareTarget.Version => (key?.Version ?? 0).CompareTo(compare.Number),
        CompareTarget.Create => (key?.Create ?? 0).CompareTo(compare.Number),
        CompareTarget.Mod => (key?.Mod ?? 0).CompareTo(compare.Number),
        CompareTarget.Lease => (key?.Lease ?? 0).CompareTo(compare.Number),
        _ => throw new NotSupportedException($"compare target {compare.Target}"),
    };

    private static bool Satisfies(Compare compare, int order) => compare.Result switch
    {
        CompareResult.Equal => order == 0,
        CompareResult.NotEqual => order != 0,
        CompareResult.Greater => order > 0,
        CompareResult.Less => order < 0,
        _ => throw new NotSupportedException($"compare result {compare.Result}"),
    };

    /// <summary>etcd's checkIntervals, per branch: a key put twice, or put and inside a deleted range.</summary>
    private static bool HasDuplicateWrites(IReadOnlyList<TxnOp> ops)
    {
        var puts = ops.OfType<TxnPutOp>().Select(p => KvText.Bytes(p.Request.Key)).ToList();
        if (puts.Distinct(StringComparer.Ordinal).Count() != puts.Count)
        {
            return true;
        }
        var present = puts.ToDictionary(k => k, _ => new KeyState(), StringComparer.Ordinal);
        return ops.OfType<TxnDeleteOp>().Any(d => KeysIn(present, d.Request.Key, d.Request.RangeEnd).Any());
    }
}
