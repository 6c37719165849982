namespace LiteKube.Datastore.Mvcc;

/// <summary>Checks a txn before it runs, as etcd does: ops per branch, empty keys, and no key
/// written twice on one path (a put twice, or a put inside a range deleted on the same path).
/// Both branches are checked whichever one will run.</summary>
public static class TxnValidator
{
    public const int MaxOpsPerBranch = 128;

    public static void Validate(TxnRequest txn)
    {
        ValidateShape(txn);
        // A lone op (every plain put or delete) cannot write a key twice.
        if (txn.Success.Count + txn.Failure.Count > 1 || txn.Success.Concat(txn.Failure).Any(op => op is TxnNestedOp))
        {
            CheckIntervals(txn.Success);
            CheckIntervals(txn.Failure);
        }
    }

    private static void ValidateShape(TxnRequest txn)
    {
        if (txn.Success.Count > MaxOpsPerBranch || txn.Failure.Count > MaxOpsPerBranch || txn.Compare.Count > MaxOpsPerBranch)
        {
            throw new DatastoreException(DatastoreError.TooManyOps, "etcdserver: too many operations in txn request");
        }

        foreach (var compare in txn.Compare)
        {
            RequireKey(compare.Key);
        }

        foreach (var op in txn.Success.Concat(txn.Failure))
        {
            switch (op)
            {
                case TxnRangeOp r: RequireKey(r.Request.Key); break;
                case TxnPutOp p: RequireKey(p.Request.Key); break;
                case TxnDeleteOp d: RequireKey(d.Request.Key); break;
                case TxnNestedOp n: ValidateShape(n.Request); break;
                default: throw new DatastoreException(DatastoreError.InvalidArgument, "etcdserver: unknown txn operation");
            }
        }
    }

    public static void RequireKey(byte[]? key)
    {
        if (key is null || key.Length == 0)
        {
            throw DatastoreException.EmptyKey();
        }
    }

    // A port of etcd's checkIntervals (server/etcdserver/api/v3rpc/key.go).
    private static (HashSet<byte[]> Puts, List<KeyRange> Deletes) CheckIntervals(IReadOnlyList<TxnOp> ops)
    {
        var deletes = ops.OfType<TxnDeleteOp>().Select(d => new KeyRange(d.Request.Key, d.Request.RangeEnd)).ToList();
        var puts = new HashSet<byte[]>(ByteArrayComparer.Instance);
        foreach (var nested in ops.OfType<TxnNestedOp>())
        {
            var (putsThen, deletesThen) = CheckIntervals(nested.Request.Success);
            var (putsElse, deletesElse) = CheckIntervals(nested.Request.Failure);
            foreach (var key in putsThen)
            {
                if (puts.Contains(key) || Deleted(deletes, key))
                {
                    throw Duplicate();
                }

                puts.Add(key);
            }

            foreach (var key in putsElse)
            {
                // Then and else never both run, so the same key in each is no conflict.
                if ((puts.Contains(key) && !putsThen.Contains(key)) || Deleted(deletes, key))
                {
                    throw Duplicate();
                }

                puts.Add(key);
            }

            deletes.AddRange(deletesThen);
            deletes.AddRange(deletesElse);
        }

        foreach (var put in ops.OfType<TxnPutOp>())
        {
            if (!puts.Add(put.Request.Key) || Deleted(deletes, put.Request.Key))
            {
                throw Duplicate();
            }
        }

        return (puts, deletes);
    }

    private static bool Deleted(List<KeyRange> deletes, byte[] key) => deletes.Any(d => d.Contains(key));

    private static DatastoreException Duplicate() =>
        new(DatastoreError.DuplicateKey, "etcdserver: duplicate key given in txn request");
}
