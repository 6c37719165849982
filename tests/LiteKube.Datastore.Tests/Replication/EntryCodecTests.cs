using System.Text;
using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Replication;

namespace LiteKube.Datastore.Tests.Replication;

public sealed class EntryCodecTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void A_txn_with_every_kind_of_op_survives_encoding()
    {
        var txn = new TxnRequest(
            [new Compare(B("k"), CompareTarget.Value, CompareResult.NotEqual) { RangeEnd = B("z"), Value = B("v"), Number = 7 }],
            [
                new TxnPutOp(new PutRequest(B("a"), [0, 1, 255]) { Lease = 5, PrevKv = true, IgnoreLease = true }),
                new TxnDeleteOp(new DeleteRangeRequest(B("b"), B("c")) { PrevKv = true }),
                new TxnRangeOp(new RangeRequest(B("d")) { Limit = 3, SortOrder = SortOrder.Descend, SortTarget = SortTarget.Mod, CountOnly = true, MaxCreateRevision = 9 }),
                new TxnNestedOp(new TxnRequest([], [new TxnPutOp(new PutRequest(B("n"), []))], [])),
            ],
            [new TxnDeleteOp(new DeleteRangeRequest(B("e")))]);

        var decoded = EntryCodec.Decode(EntryCodec.Encode(new LogCommand(42, 99, new TxnCommand(txn))));

        Assert.Equal(42UL, decoded.Proposer);
        Assert.Equal(99UL, decoded.Sequence);
        var back = Assert.IsType<TxnCommand>(decoded.Command).Txn;
        Assert.Equal(Describe(txn), Describe(back));
    }

    [Theory]
    [MemberData(nameof(OtherCommands))]
    public void Lease_compact_and_member_commands_survive_encoding(Command command) =>
        Assert.Equal(command, EntryCodec.Decode(EntryCodec.Encode(new LogCommand(1, 2, command))).Command);

    public static TheoryData<Command> OtherCommands() =>
    [
        new CompactCommand(17), new LeaseGrantCommand(3, 60), new LeaseRevokeCommand(3), new LeaseKeepAliveCommand(3),
        new MemberUpdateCommand(0xabc, "node-2", "127.0.0.2:25000", Removed: true),
    ];

    [Fact]
    public void Damaged_entries_are_refused_with_a_format_error()
    {
        var good = EntryCodec.Encode(new LogCommand(1, 2, new TxnCommand(new TxnRequest([], [new TxnPutOp(new PutRequest(B("a"), B("b")))], []))));

        Assert.Throws<FormatException>(() => EntryCodec.Decode(good[..^3]));
        Assert.Throws<FormatException>(() => EntryCodec.Decode([.. good, 0]));
        Assert.Throws<FormatException>(() => EntryCodec.Decode([2, .. good[1..]]));
        var badKind = (byte[])good.Clone();
        badKind[17] = 77;
        Assert.Throws<FormatException>(() => EntryCodec.Decode(badKind));
        var hugeLength = (byte[])good.Clone();
        hugeLength[22] = 0x7f; // the success op count (little-endian) becomes 127, more than the bytes left
        Assert.Throws<FormatException>(() => EntryCodec.Decode(hugeLength));
    }

    // Records hold lists and arrays, which compare by reference: compare a full rendering instead.
    private static string Describe(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToHexString(bytes),
        string s => s,
        System.Collections.IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Describe)) + "]",
        _ when value.GetType().IsPrimitive || value.GetType().IsEnum => value.ToString()!,
        _ => value.GetType().Name + "{" + string.Join(";", value.GetType().GetProperties()
            .Where(p => p.Name != "EqualityContract").Select(p => p.Name + "=" + Describe(p.GetValue(value)))) + "}",
    };
}
