// The victim of the crash-recovery tests (tests/LiteKube.Datastore.Tests/Recovery).
// Usage: LiteKube.Datastore.CrashChild DIR TAG WRITERS
// Opens the RocksDB store in DIR and writes from WRITERS tasks until it is killed. Each write is
// printed on stdout only after the store acknowledged it, one line per write, so the parent
// knows exactly what must survive a SIGKILL. Ids are TAG-writer-step, so that several runs can
// share one directory. Every ack line ends with ";" so that a line cut short is recognisable:
//
//   ready <revision>         the store is open at <revision>
//   put <id> <revision>;     key p/<id> = <id>
//   txn <id> <revision>;     keys a/<id> and b/<id> = <id>, in one txn
//   del <id> <revision>;     key p/<id> (put by the step before) deleted, in one txn that
//                            also puts d/<id> = <id>
//
// Console output is the protocol here, hence no ILogger. stdout autoflushes: each line is in
// the pipe (the kernel's) before the next write starts, so a kill cannot lose a printed ack.
using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;
using System.Text;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: LiteKube.Datastore.CrashChild DIR TAG WRITERS");
    return 2;
}

var tag = args[1];
var writers = int.Parse(args[2]);
await using var store = LocalStore.OpenRocksDb(args[0]);
var start = await store.RangeAsync(new RangeRequest([0], [0]) { CountOnly = true });
var output = Console.Out;
output.WriteLine($"ready {start.Revision}");

static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    for (var n = 0; ; n++)
    {
        var id = $"{tag}-{w}-{n}";
        switch (n % 4)
        {
            case 1:
                var txn = await store.TxnAsync(new TxnRequest([],
                    [new TxnPutOp(new PutRequest(B($"a/{id}"), B(id))), new TxnPutOp(new PutRequest(B($"b/{id}"), B(id)))],
                    []));
                output.WriteLine($"txn {id} {txn.Revision};");
                break;
            case 3:
                // Deletes the put of the previous step (n - 1), which was acknowledged before.
                var previous = $"{tag}-{w}-{n - 1}";
                var del = await store.TxnAsync(new TxnRequest([],
                    [new TxnDeleteOp(new DeleteRangeRequest(B($"p/{previous}"))), new TxnPutOp(new PutRequest(B($"d/{previous}"), B(previous)))],
                    []));
                output.WriteLine($"del {previous} {del.Revision};");
                break;
            default:
                var put = await store.PutAsync(new PutRequest(B($"p/{id}"), B(id)));
                output.WriteLine($"put {id} {put.Revision};");
                break;
        }
    }
})));
return 0;
