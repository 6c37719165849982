using RocksDbSharp;

namespace LiteKube.Datastore.Storage;

/// <summary>An open RocksDB database with its column families, driven through RocksDbSharp's
/// <see cref="Native"/> bindings rather than its <c>RocksDb</c> class.</summary>
/// <remarks>Why: <c>RocksDb.Open</c> and its constructor keep their options in a <c>dynamic</c>
/// ExpandoObject, and that one use loads the C# runtime binder with expression trees: about
/// 2,000 methods compiled and ~5 MiB of idle RSS (README, API server performance), for nothing
/// the datastore needs. The options objects stay referenced here for the database's life, which
/// is all those references were for. Every call that can fail throws <see cref="RocksDbException"/>
/// (the bindings check RocksDB's error pointer).</remarks>
internal sealed unsafe class NativeRocksDb : IDisposable
{
    private static readonly Native Api = Native.Instance;

    private readonly object[] _keepAlive;
    private IntPtr _db;

    private NativeRocksDb(IntPtr db, NativeColumnFamily[] columns, object[] keepAlive)
    {
        _db = db;
        Columns = columns;
        _keepAlive = keepAlive;
    }

    /// <summary>The column families, in the order their names were given to <see cref="Open"/>.</summary>
    public IReadOnlyList<NativeColumnFamily> Columns { get; }

    public static NativeRocksDb Open(DbOptions options, string directory, IReadOnlyList<(string Name, ColumnFamilyOptions Options)> families, object[] keepAlive)
    {
        var names = families.Select(f => f.Name).ToArray();
        var handles = new IntPtr[names.Length];
        var db = Api.rocksdb_open_column_families(options.Handle, directory, names.Length, names,
            families.Select(f => f.Options.Handle).ToArray(), handles);
        return new NativeRocksDb(db, [.. handles.Select(h => new NativeColumnFamily(h))], [options, .. families.Select(f => f.Options), .. keepAlive]);
    }

    public void Write(WriteBatch batch, WriteOptions options) => Api.rocksdb_write(_db, options.Handle, batch.Handle);

    public IntPtr CreateSnapshot() => Api.rocksdb_create_snapshot(_db);

    public void ReleaseSnapshot(IntPtr snapshot) => Api.rocksdb_release_snapshot(_db, snapshot);

    public byte[]? Get(NativeColumnFamily column, ReadOnlySpan<byte> key, ReadOptions options)
    {
        IntPtr value;
        UIntPtr length;
        fixed (byte* k = key)
        {
            value = Api.rocksdb_get_cf(_db, options.Handle, column.Handle, k, (UIntPtr)key.Length, out length);
        }

        if (value == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return new ReadOnlySpan<byte>((void*)value, checked((int)length)).ToArray();
        }
        finally
        {
            Api.rocksdb_free(value);
        }
    }

    /// <summary>A raw iterator; <see cref="NativeIterator"/> owns and destroys it.</summary>
    public IntPtr CreateIterator(NativeColumnFamily column, ReadOptions options) =>
        Api.rocksdb_create_iterator_cf(_db, options.Handle, column.Handle);

    public string? GetProperty(string name, NativeColumnFamily column)
    {
        var value = Api.rocksdb_property_value_cf(_db, column.Handle, name);
        if (value == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return new string((sbyte*)value);
        }
        finally
        {
            Api.rocksdb_free(value);
        }
    }

    public void CompactAll(NativeColumnFamily column) =>
        Api.rocksdb_compact_range_cf(_db, column.Handle, IntPtr.Zero, UIntPtr.Zero, IntPtr.Zero, UIntPtr.Zero);

    public void Dispose()
    {
        if (_db == IntPtr.Zero)
        {
            return;
        }

        foreach (var column in Columns)
        {
            Api.rocksdb_column_family_handle_destroy(column.Handle);
        }

        Api.rocksdb_close(_db);
        _db = IntPtr.Zero;
        GC.KeepAlive(_keepAlive);
    }
}

/// <summary>A column family handle, as RocksDbSharp's write batch takes it; destroyed by
/// <see cref="NativeRocksDb.Dispose"/>.</summary>
internal sealed class NativeColumnFamily(IntPtr handle) : ColumnFamilyHandle
{
    public IntPtr Handle { get; } = handle;
}
