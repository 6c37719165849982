using LiteKube.Datastore.Mvcc;

namespace LiteKube.Datastore.Tests.Mvcc;

public sealed class KeyLayoutTests
{
    [Fact]
    public void Kv_entries_sort_in_raw_key_order_then_newest_revision_first()
    {
        var random = new Random(7);
        var keys = Enumerable.Range(0, 400)
            .Select(_ => Enumerable.Range(0, random.Next(1, 5)).Select(_ => (byte)random.Next(0, 3) switch { 0 => (byte)0, 1 => (byte)0xFF, _ => (byte)random.Next(256) }).ToArray())
            .Distinct(ByteArrayComparer.Instance)
            .ToList();
        var entries = keys.SelectMany(k => new[] { 3L, 10L, 200L }.Select(r => (Key: k, Rev: r, Encoded: KeyLayout.KvKey(KeyLayout.KeyPrefix(k), r)))).ToList();

        var byEncoding = entries.OrderBy(e => e.Encoded, ByteArrayComparer.Instance).ToList();
        var expected = entries.OrderBy(e => e.Key, ByteArrayComparer.Instance).ThenByDescending(e => e.Rev).ToList();

        Assert.Equal(expected.Select(e => (Convert.ToHexString(e.Key), e.Rev)), byEncoding.Select(e => (Convert.ToHexString(e.Key), e.Rev)));
        Assert.All(entries, e => Assert.Equal(e.Key, KeyLayout.UserKeyOf(e.Encoded)));
        Assert.All(entries, e => Assert.Equal(e.Rev, KeyLayout.RevisionOf(e.Encoded)));
    }

    [Fact]
    public void Range_bounds_hold_exactly_the_keys_of_the_range()
    {
        byte[][] keys = [[0x61], [0x61, 0x00], [0x61, 0x00, 0x01], [0x61, 0x01], [0x61, 0xFF], [0x62], [0x62, 0x00]];
        var range = new KeyRange([0x61, 0x00], [0x61, 0xFF]);
        var (lower, upper) = range.KvBounds();
        foreach (var key in keys)
        {
            var encoded = KeyLayout.KvKey(KeyLayout.KeyPrefix(key), 5);
            var inBounds = encoded.AsSpan().SequenceCompareTo(lower) >= 0 && encoded.AsSpan().SequenceCompareTo(upper) < 0;
            Assert.Equal(range.Contains(key), inBounds);
        }
    }
}
