using System.Runtime.InteropServices;
using Google.Protobuf;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>Moves bytes between protobuf messages and the store without copying: the parser
/// gives every bytes field its own exact-size array, and the store's results are immutable,
/// so both directions can share arrays.</summary>
internal static class ByteStrings
{
    public static byte[] ToArray(ByteString value)
    {
        if (value.IsEmpty)
        {
            return [];
        }

        if (MemoryMarshal.TryGetArray(value.Memory, out var segment)
            && segment.Offset == 0
            && segment.Count == segment.Array!.Length)
        {
            return segment.Array;
        }

        return value.ToByteArray();
    }

    /// <summary>An empty range_end means "the single key".</summary>
    public static byte[]? ToRangeEnd(ByteString value) => value.IsEmpty ? null : ToArray(value);

    public static ByteString Wrap(byte[] value) =>
        value.Length == 0 ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(value);
}
