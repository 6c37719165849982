using RocksDbSharp;

namespace LiteKube.Datastore.Storage;

/// <summary>The on-disk engine: one RocksDB database with a column family per <see cref="Column"/>.
/// RocksDB's own LOCK file keeps a second process out of the same directory.</summary>
public sealed class RocksDbEngine : IStorageEngine
{
    private static readonly string[] ColumnNames = ["kv", "revisions", "leases", "lease-keys", "meta", "raft-log", "raft-meta"];

    private readonly RocksDb _db;
    private readonly ColumnFamilyHandle[] _columns;
    private readonly WriteOptions _syncWrite = new WriteOptions().SetSync(true);
    private readonly WriteOptions _asyncWrite = new WriteOptions().SetSync(false);

    // RocksDB uses these in place (the filter policy by raw pointer): they live as long as the database.
    private readonly object[] _nativeOptions;

    private RocksDbEngine(RocksDb db, object[] nativeOptions)
    {
        _db = db;
        _nativeOptions = nativeOptions;
        _columns = ColumnNames.Select(db.GetColumnFamily).ToArray();
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
        // those also store the argument in a `dynamic` ExpandoObject, and that one use loads the
        // whole C# runtime binder (Microsoft.CSharp, expression trees, emit): about 2,000 more
        // methods compiled and MiB more idle RSS. The cache and filter are kept referenced here.
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
        var families = new ColumnFamilies();
        foreach (var name in ColumnNames)
        {
            var family = new ColumnFamilyOptions()
                .SetWriteBufferSize(16 * 1024 * 1024)
                .SetCompression(Compression.Lz4);
            native.rocksdb_options_set_block_based_table_factory(family.Handle, table.Handle);
            families.Add(name, family);
        }

        try
        {
            return new RocksDbEngine(RocksDb.Open(options, directory, families), [table, cache, filter, options, families]);
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

    internal ColumnFamilyHandle Handle(Column column) => _columns[(int)column];

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
            _db.CompactRange((byte[]?)null, null, column);
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

    private sealed class RocksView(RocksDbEngine engine, Snapshot snapshot) : IStorageView
    {
        private readonly ReadOptions _read = new ReadOptions().SetSnapshot(snapshot);

        public byte[]? Get(Column column, ReadOnlySpan<byte> key) =>
            engine._db.Get(key.ToArray(), engine.Handle(column), _read);

        public IStorageIterator Iterate(Column column, byte[]? lowerBound, byte[]? upperBound)
        {
            // Bounds live in the ReadOptions, which must outlive the iterator.
            var options = new ReadOptions().SetSnapshot(snapshot);
            if (lowerBound is not null)
            {
                options.SetIterateLowerBound(lowerBound);
            }

            if (upperBound is not null)
            {
                options.SetIterateUpperBound(upperBound);
            }

            return new RocksIterator(engine._db.NewIterator(engine.Handle(column), options), options, lowerBound);
        }

        public void Dispose() => snapshot.Dispose();
    }

    private sealed class RocksIterator(Iterator iterator, ReadOptions options, byte[]? lowerBound) : IStorageIterator
    {
        // Keeps the bound buffers reachable while RocksDB holds pointers into them.
        private readonly ReadOptions _options = options;
        private readonly byte[]? _lowerBound = lowerBound;

        public bool Valid => iterator.Valid();

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

        public ReadOnlySpan<byte> Key => iterator.GetKeySpan();

        public ReadOnlySpan<byte> Value => iterator.GetValueSpan();

        public void Dispose()
        {
            iterator.Dispose();
            GC.KeepAlive(_options);
        }
    }
}
