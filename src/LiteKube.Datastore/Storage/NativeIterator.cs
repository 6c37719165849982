using RocksDbSharp;

namespace LiteKube.Datastore.Storage;

/// <summary>A RocksDB iterator whose key and value are read in place (valid until it moves).</summary>
internal sealed unsafe class NativeIterator(IntPtr iterator) : IDisposable
{
    private static readonly Native Api = Native.Instance;

    private IntPtr _iterator = iterator;

    public bool Valid => Api.rocksdb_iter_valid(_iterator) != 0;

    public void SeekToFirst() => Api.rocksdb_iter_seek_to_first(_iterator);

    public void Seek(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            Api.rocksdb_iter_seek(_iterator, k, (UIntPtr)key.Length);
        }
    }

    public void Next() => Api.rocksdb_iter_next(_iterator);

    public ReadOnlySpan<byte> Key
    {
        get
        {
            var key = Api.rocksdb_iter_key(_iterator, out var length);
            return new ReadOnlySpan<byte>((void*)key, checked((int)length));
        }
    }

    public ReadOnlySpan<byte> Value
    {
        get
        {
            var value = Api.rocksdb_iter_value(_iterator, out var length);
            return new ReadOnlySpan<byte>((void*)value, checked((int)length));
        }
    }

    public void Dispose()
    {
        if (_iterator != IntPtr.Zero)
        {
            Api.rocksdb_iter_destroy(_iterator);
            _iterator = IntPtr.Zero;
        }
    }
}
