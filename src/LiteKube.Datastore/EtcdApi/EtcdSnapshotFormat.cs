using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>
/// The file a Snapshot RPC streams, so that <c>etcdctl snapshot save</c> accepts it: etcdctl
/// refuses a snapshot whose size is not 32 more than a multiple of 512, because etcd's own
/// snapshot is a page-aligned database followed by its SHA-256. Layout:
/// <code>
/// [store snapshot, as IDatastoreMaintenance.WriteSnapshotAsync wrote it]
/// [zero padding so that everything up to and including the next field ends on a 512 boundary]
/// [int64 little-endian: length of the store snapshot]
/// [SHA-256 of every byte before it]
/// </code>
/// The length field lets a restore take back exactly what the store wrote.
/// </summary>
public static class EtcdSnapshotFormat
{
    private const int Alignment = 512;
    private const int LengthSize = sizeof(long);
    private const int HashSize = 32;

    /// <summary>Appends padding, length and hash to a stream that holds a store snapshot of
    /// <paramref name="contentLength"/> bytes and is positioned at its end.</summary>
    internal static async Task WriteTrailerAsync(Stream file, long contentLength, CancellationToken cancellationToken)
    {
        var padding = (int)((Alignment - ((contentLength + LengthSize) % Alignment)) % Alignment);
        var tail = new byte[padding + LengthSize];
        BinaryPrimitives.WriteInt64LittleEndian(tail.AsSpan(padding), contentLength);
        await file.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);

        file.Position = 0;
        var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
        await file.WriteAsync(hash, cancellationToken).ConfigureAwait(false);
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a saved snapshot (e.g. from <c>etcdctl snapshot save</c>) and copies the
    /// store snapshot inside it to <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a LiteKube snapshot or is damaged.</exception>
    public static async Task ExtractAsync(Stream snapshot, Stream destination, CancellationToken cancellationToken = default)
    {
        var total = snapshot.Length;
        if (total < LengthSize + HashSize || total % Alignment != HashSize)
        {
            throw new InvalidDataException($"not a LiteKube snapshot: its size {total} is not a multiple of {Alignment} plus a {HashSize}-byte hash");
        }

        var hashed = total - HashSize;
        var expected = new byte[HashSize];
        snapshot.Position = hashed;
        await snapshot.ReadExactlyAsync(expected, cancellationToken).ConfigureAwait(false);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        snapshot.Position = 0;
        await ReadRangeAsync(snapshot, hashed, chunk =>
        {
            sha.AppendData(chunk.Span);
            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        var actual = sha.GetHashAndReset();
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            throw new InvalidDataException("snapshot damaged: its SHA-256 does not match the content");
        }

        var lengthBytes = new byte[LengthSize];
        snapshot.Position = hashed - LengthSize;
        await snapshot.ReadExactlyAsync(lengthBytes, cancellationToken).ConfigureAwait(false);
        var contentLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (contentLength < 0 || contentLength > hashed - LengthSize)
        {
            throw new InvalidDataException($"not a LiteKube snapshot: content length {contentLength} does not fit the file");
        }

        snapshot.Position = 0;
        await ReadRangeAsync(snapshot, contentLength, chunk => destination.WriteAsync(chunk, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task ReadRangeAsync(
        Stream source, long length, Func<ReadOnlyMemory<byte>, ValueTask> sink, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (length > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken)
                .ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("snapshot ended early");
            }

            await sink(buffer.AsMemory(0, read)).ConfigureAwait(false);
            length -= read;
        }
    }
}
