using System.Text;
using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>
/// The etcd KV as an <see cref="ISequentialModel{TState,TOp}"/>: an operation fits a state when
/// the result it returned equals what <see cref="KvSemantics"/> says a correct store answers
/// there, header revision and every key's create/mod revision, version and lease included.
/// An unknown outcome always fits and takes effect; "never took effect" is the checker placing it
/// after everything else.
/// </summary>
/// <param name="foreign">Revisions other writers took outside the history's keys (none by default).</param>
public sealed class KvModel(ForeignRevisions? foreign = null) : ISequentialModel<KvState, KvOperation>
{
    private readonly ForeignRevisions _foreign = foreign ?? ForeignRevisions.None;

    public ModelStep<KvState> Step(KvState state, KvOperation operation)
    {
        var expected = _foreign.Evaluate(state, operation);
        var mismatch = operation.Outcome switch
        {
            Unknown => null,
            Failed f when expected.Error == f.Error => null,
            Failed f => expected.Error is { } e
                ? $"expected error {e}, observed error {f.Error}"
                : $"expected {Summary(expected.Result!)}, observed error {f.Error}",
            Returned when expected.Error is { } e => $"expected error {e}, observed a result",
            Returned r => KvResultMatch.Compare(expected.Result!, r.Result),
            _ => throw new NotSupportedException(operation.Outcome.GetType().Name),
        };
        return mismatch is null ? ModelStep<KvState>.Accept(expected.Next) : ModelStep<KvState>.Reject(state, mismatch);
    }

    public string Describe(KvOperation operation) => $"{Request(operation.Request)} -> {Outcome(operation.Outcome)}";

    public string Describe(KvState state)
    {
        var text = new StringBuilder($"revision {state.Revision}");
        text.Append(state.Leases.Count == 0 ? ", no leases" : $", leases {string.Join(" ", state.Leases)}");
        foreach (var (key, value) in state.Keys)
        {
            text.Append('\n').Append(KvText.Kv(key, value));
        }
        return text.ToString();
    }

    public static string Request(KvRequest request) => request switch
    {
        RangeCall r => $"get {KvText.Range(r.Request.Key, r.Request.RangeEnd)}",
        PutCall p => $"put {KvText.Key(p.Request.Key)}={KvText.Key(p.Request.Value)}{(p.Request.Lease != 0 ? $" lease {p.Request.Lease}" : "")}",
        DeleteCall d => $"delete {KvText.Range(d.Request.Key, d.Request.RangeEnd)}",
        TxnCall t => $"txn if [{string.Join(", ", t.Request.Compare.Select(Compare))}] then [{Ops(t.Request.Success)}] else [{Ops(t.Request.Failure)}]",
        LeaseGrantCall g => $"lease grant {g.Id}",
        LeaseRevokeCall v => $"lease revoke {v.Id}",
        _ => request.ToString(),
    };

    private static string Outcome(KvOutcome outcome) => outcome switch
    {
        Returned r => Summary(r.Result),
        Failed f => $"error {f.Error}",
        Unknown u => $"unknown ({u.Why})",
        _ => outcome.ToString(),
    };

    internal static string Summary(object result) => result switch
    {
        RangeResult r => $"rev {r.Revision}: {KvText.Kvs(r.Kvs)}",
        PutResult p => $"rev {p.Revision}{(p.PrevKv is { } prev ? $", prev {KvText.Kv(prev)}" : "")}",
        DeleteRangeResult d => $"rev {d.Revision}, deleted {d.Deleted}",
        TxnResult t => $"rev {t.Revision}, {(t.Succeeded ? "then" : "else")} [{string.Join("; ", t.Responses.Select(Summary))}]",
        LeaseGrantResult g => $"rev {g.Revision}, lease {g.Id}",
        LeaseRevokeResult v => $"rev {v.Revision}",
        _ => result.ToString() ?? "",
    };

    private static string Compare(Compare c)
    {
        var op = c.Result switch { CompareResult.Equal => "=", CompareResult.NotEqual => "!=", CompareResult.Greater => ">", _ => "<" };
        var operand = c.Target == CompareTarget.Value ? KvText.Key(c.Value) : c.Number.ToString();
        return $"{KvText.Range(c.Key, c.RangeEnd)} {c.Target.ToString().ToLowerInvariant()} {op} {operand}";
    }

    private static string Ops(IEnumerable<TxnOp> ops) => string.Join("; ", ops.Select(op => op switch
    {
        TxnRangeOp r => Request(new RangeCall(r.Request)),
        TxnPutOp p => Request(new PutCall(p.Request)),
        TxnDeleteOp d => Request(new DeleteCall(d.Request)),
        _ => "nested txn",
    }));
}
