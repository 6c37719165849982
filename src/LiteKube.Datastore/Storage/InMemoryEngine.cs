using System.Collections.Immutable;

namespace LiteKube.Datastore.Storage;

/// <summary>
/// A memory-only engine for unit tests. Each column is an immutable sorted list, so a view is
/// a reference to the lists of the moment: free to take, and unaffected by later writes.
/// </summary>
public sealed class InMemoryEngine : IStorageEngine
{
    private static readonly ByteComparer Comparer = new();
    private static readonly int ColumnCount = Enum.GetValues<Column>().Length;

    private readonly object _writeGate = new();
    private volatile ImmutableList<Entry>[] _columns;

    public InMemoryEngine()
    {
        _columns = Enumerable.Range(0, ColumnCount).Select(_ => ImmutableList<Entry>.Empty).ToArray();
    }

    public IStorageBatch CreateBatch() => new MemoryBatch();

    public void Write(IStorageBatch batch, bool sync)
    {
        lock (_writeGate)
        {
            var columns = (ImmutableList<Entry>[])_columns.Clone();
            var builders = columns.Select(c => c.ToBuilder()).ToArray();
            foreach (var op in ((MemoryBatch)batch).Ops)
            {
                Apply(builders[(int)op.Column], op);
            }

            _columns = builders.Select(b => b.ToImmutable()).ToArray();
        }
    }

    private static void Apply(ImmutableList<Entry>.Builder list, BatchOp op)
    {
        var index = list.BinarySearch(new Entry(op.Key, []), Comparer);
        switch (op.Kind)
        {
            case OpKind.Put when index >= 0:
                list[index] = new Entry(op.Key, op.Value);
                break;
            case OpKind.Put:
                list.Insert(~index, new Entry(op.Key, op.Value));
                break;
            case OpKind.Delete when index >= 0:
                list.RemoveAt(index);
                break;
            case OpKind.DeleteRange:
                var start = index >= 0 ? index : ~index;
                var endIndex = list.BinarySearch(new Entry(op.Value, []), Comparer);
                var end = endIndex >= 0 ? endIndex : ~endIndex;
                if (end > start)
                {
                    list.RemoveRange(start, end - start);
                }

                break;
        }
    }

    public IStorageView OpenView() => new MemoryView(_columns);

    public long TotalSize => _columns.Sum(c => c.Sum(e => (long)e.Key.Length + e.Value.Length));

    public long LiveDataSize => TotalSize;

    public void CompactAll()
    {
    }

    public void Dispose()
    {
    }

    private sealed record Entry(byte[] Key, byte[] Value);

    private enum OpKind { Put, Delete, DeleteRange }

    private sealed record BatchOp(OpKind Kind, Column Column, byte[] Key, byte[] Value);

    private sealed class MemoryBatch : IStorageBatch
    {
        public List<BatchOp> Ops { get; } = [];

        public int Count => Ops.Count;

        public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
            Ops.Add(new BatchOp(OpKind.Put, column, key.ToArray(), value.ToArray()));

        public void Delete(Column column, ReadOnlySpan<byte> key) =>
            Ops.Add(new BatchOp(OpKind.Delete, column, key.ToArray(), []));

        public void DeleteRange(Column column, byte[] from, byte[] to) =>
            Ops.Add(new BatchOp(OpKind.DeleteRange, column, from, to));

        public void Dispose()
        {
        }
    }

    private sealed class MemoryView(ImmutableList<Entry>[] columns) : IStorageView
    {
        public byte[]? Get(Column column, ReadOnlySpan<byte> key)
        {
            var list = columns[(int)column];
            var index = list.BinarySearch(new Entry(key.ToArray(), []), Comparer);
            return index >= 0 ? list[index].Value : null;
        }

        public IStorageIterator Iterate(Column column, byte[]? lowerBound, byte[]? upperBound) =>
            new MemoryIterator(columns[(int)column], lowerBound, upperBound);

        public void Dispose()
        {
        }
    }

    private sealed class MemoryIterator(ImmutableList<Entry> list, byte[]? lower, byte[]? upper) : IStorageIterator
    {
        private int _index = int.MaxValue;

        public bool Valid => _index < list.Count
            && (upper is null || list[_index].Key.AsSpan().SequenceCompareTo(upper) < 0);

        public void SeekToFirst() => Seek(lower ?? []);

        public void Seek(ReadOnlySpan<byte> key)
        {
            if (lower is not null && key.SequenceCompareTo(lower) < 0)
            {
                key = lower;
            }

            var index = list.BinarySearch(new Entry(key.ToArray(), []), Comparer);
            _index = index >= 0 ? index : ~index;
        }

        public void Next() => _index++;

        public ReadOnlySpan<byte> Key => list[_index].Key;

        public ReadOnlySpan<byte> Value => list[_index].Value;

        public void Dispose()
        {
        }
    }

    private sealed class ByteComparer : IComparer<Entry>
    {
        public int Compare(Entry? x, Entry? y) => x!.Key.AsSpan().SequenceCompareTo(y!.Key);
    }
}
