namespace LiteKube.Datastore.Mvcc;

/// <summary>The bytes a txn carries (keys, values, compare operands), for the request size limit.</summary>
public static class RequestSize
{
    public static long Of(TxnRequest txn) =>
        txn.Compare.Sum(c => (long)c.Key.Length + (c.RangeEnd?.Length ?? 0) + c.Value.Length)
        + txn.Success.Concat(txn.Failure).Sum(Of);

    private static long Of(TxnOp op) => op switch
    {
        TxnPutOp p => p.Request.Key.Length + (long)p.Request.Value.Length,
        TxnDeleteOp d => d.Request.Key.Length + (long)(d.Request.RangeEnd?.Length ?? 0),
        TxnRangeOp r => r.Request.Key.Length + (long)(r.Request.RangeEnd?.Length ?? 0),
        TxnNestedOp n => Of(n.Request),
        _ => 0,
    };
}
