using RocksDbSharp;

namespace LiteKube.Datastore.Storage;

/// <summary>The on-disk engine: one RocksDB database with a column family per <see cref="Column"/>.
/// RocksDB's own LOCK file keeps a second process out of the same directory.</summary>
public sealed class RocksDbEngine : IStorageEngine
{
    private static readonly string[] ColumnNames = ["kv", "revisions", "leases", "lease-keys", "meta", "raft-log", "raft-meta"];

    private readonly NativeRocksDb _db;
    private readonly NativeColumnFamily[] _columns;
    private readonly WriteOptions _syncWrite = new WriteOptions().SetSync(true);
    private readonly WriteOptions _asyncWrite = new WriteOptions().SetSync(false);

    private RocksDbEngine(NativeRocksDb db)
    {
        _db = db;
        _columns = [.. db.Columns.Skip(1)];
    }

    /// <summary>Opens or creates the database. Throws <see cref="DatastoreException"/>
    /// (Unavailable) with a message a person can act on.</summary>
    public static RocksDbEngine Open(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatastoreException(DatastoreError.Unavailable,
                $"cannot create data directory {directory}: {e.Message}", e);
        }

        // The native setters, not RocksDbSharp's SetBlockCache/SetFilterPolicy/SetBlockBasedTableFactory:
        // those keep their argument in a `dynamic` ExpandoObject (see NativeRocksDb for the cost).
        // The database keeps the cache, filter and table options referenced instead.
        var native = Native.Instance;
        var table = new BlockBasedTableOptions().SetCacheIndexAndFilterBlocks(true);
        var cache = Cache.CreateLru(32 * 1024 * 1024);
        var filter = BloomFilterPolicy.Create(10, false);
        native.rocksdb_block_based_options_set_block_cache(table.Handle, cache.Handle);
        native.rocksdb_block_based_options_set_filter_policy(table.Handle, filter.Handle);
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetCreateMissingColumnFamilies(true)
            .SetParanoidChecks(true)
            .SetKeepLogFileNum(3)
            .SetRecycleLogFileNum(0);
        // RocksDB requires its default column family to be opened too; nothing is stored there.
        var families = new List<(string, ColumnFamilyOptions)> { ("default", new ColumnFamilyOptions()) };
        foreach (var name in ColumnNames)
        {
            var family = new ColumnFamilyOptions()
                .SetWriteBufferSize(16 * 1024 * 1024)
                .SetCompression(Compression.Lz4);
            native.rocksdb_options_set_block_based_table_factory(family.Handle, table.Handle);
            families.Add((name, family));
        }

        try
        {
            return new RocksDbEngine(NativeRocksDb.Open(options, directory, families, [table, cache, filter]));
        }
        catch (RocksDbException e)
        {
            throw new DatastoreException(DatastoreError.Unavailable, Explain(directory, e.Message), e);
        }
    }

    private static string Explain(string directory, string message)
    {
        if (message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            return $"data directory {directory} is in use by another litekube process ({message})";
        }

        if (message.Contains("Corruption", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Invalid argument", StringComparison.OrdinalIgnoreCase))
        {
            return $"data directory {directory} is corrupt or not a litekube datastore ({message})";
        }

        return $"cannot open datastore in {directory}: {message}";
    }

    internal NativeColumnFamily Handle(Column column) => _columns[(int)column];

    public IStorageBatch CreateBatch() => new RocksBatch(this);

    public void Write(IStorageBatch batch, bool sync)
    {
        try
        {
            _db.Write(((RocksBatch)batch).Batch, sync ? _syncWrite : _asyncWrite);
        }
        catch (RocksDbException e)
        {
            throw new DatastoreException(DatastoreError.Unavailable, $"datastore write failed: {e.Message}", e);
        }
    }

    public IStorageView OpenView() => new RocksView(this, _db.CreateSnapshot());

    public long TotalSize => SumProperty("rocksdb.total-sst-files-size") + SumProperty("rocksdb.cur-size-all-mem-tables");

    public long LiveDataSize => SumProperty("rocksdb.estimate-live-data-size") + SumProperty("rocksdb.cur-size-all-mem-tables");

    private long SumProperty(string name)
    {
        long total = 0;
        foreach (var column in _columns)
        {
            if (long.TryParse(_db.GetProperty(name, column), out var value))
            {
                total += value;
            }
        }

        return total;
    }

    public void CompactAll()
    {
        foreach (var column in _columns)
        {
            _db.CompactAll(column);
        }
    }

    public void Dispose() => _db.Dispose();

    private sealed class RocksBatch(RocksDbEngine engine) : IStorageBatch
    {
        public WriteBatch Batch { get; } = new();

        public int Count => Batch.Count();

        public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
            Batch.Put(key, value, engine.Handle(column));

        public void Delete(Column column, ReadOnlySpan<byte> key) =>
            Batch.Delete(key.ToArray(), engine.Handle(column));

        public void DeleteRange(Column column, byte[] from, byte[] to) =>
            Batch.DeleteRange(from, (ulong)from.Length, to, (ulong)to.Length, engine.Handle(column));

        public void Dispose() => Batch.Dispose();
    }

    private sealed class RocksView : IStorageView
    {
        private readonly RocksDbEngine _engine;
        private readonly IntPtr _snapshot;
        private readonly ReadOptions _read;
        private bool _disposed;

        public RocksView(RocksDbEngine engine, IntPtr snapshot)
        {
            _engine = engine;
            _snapshot = snapshot;
            _read = AtSnapshot();
        }

        public byte[]? Get(Column column, ReadOnlySpan<byte> key) =>
            _engine._db.Get(_engine.Handle(column), key, _read);

        public IStorageIterator Iterate(Column column, byte[]? lowerBound, byte[]? upperBound)
        {
            // Bounds live in the ReadOptions, which must outlive the iterator.
            var options = AtSnapshot();
            if (lowerBound is not null)
            {
                options.SetIterateLowerBound(lowerBound);
            }

            if (upperBound is not null)
            {
                options.SetIterateUpperBound(upperBound);
            }

            return new RocksIterator(new NativeIterator(_engine._db.CreateIterator(_engine.Handle(column), options)), options, lowerBound);
        }

        private ReadOptions AtSnapshot()
        {
            var options = new ReadOptions();
            Native.Instance.rocksdb_readoptions_set_snapshot(options.Handle, _snapshot);
            return options;
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _engine._db.ReleaseSnapshot(_snapshot);
            }
        }
    }

    private sealed class RocksIterator(NativeIterator iterator, ReadOptions options, byte[]? lowerBound) : IStorageIterator
    {
        // Keeps the bound buffers reachable while RocksDB holds pointers into them.
        private readonly ReadOptions _options = options;
        private readonly byte[]? _lowerBound = lowerBound;

        public bool Valid => iterator.Valid;

        public void SeekToFirst()
        {
            if (_lowerBound is null)
            {
                iterator.SeekToFirst();
            }
            else
            {
                iterator.Seek(_lowerBound);
            }
        }

        public void Seek(ReadOnlySpan<byte> key) => iterator.Seek(key);

        public void Next() => iterator.Next();

        public ReadOnlySpan<byte> Key => iterator.Key;

        public ReadOnlySpan<byte> Value => iterator.Value;

        public void Dispose()
        {
            iterator.Dispose();
            GC.KeepAlive(_options);
        }
    }
}
