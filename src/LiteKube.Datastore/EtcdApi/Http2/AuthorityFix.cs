namespace LiteKube.Datastore.EtcdApi.Http2;

/// <summary>
/// Repairs the :authority that etcd's Go client (clientv3 3.4, used by etcdctl) sends when it
/// dials one endpoint directly (endpoint status, endpoint hashkv, defrag, move-leader): the
/// whole URL, "http://127.0.0.1:2379". Go's gRPC server takes it; Kestrel resets the stream
/// because that is not a valid host. The fix rewrites the value's "http://" to "httpx--" in
/// place, giving a valid host ("httpx--127.0.0.1:2379").
/// </summary>
/// <remarks>
/// The rewrite must keep the HPACK state of both ends in step: the value may enter the dynamic
/// table, whose accounting counts value bytes, and later requests refer to it by index. So the
/// replacement has the same length in characters and, when Huffman coded, the same length in
/// bits: "://" (7+6+6 bits) becomes "x--" (7+6+6 bits). Only the :authority literal of a
/// header block is touched; everything else passes as it came.
/// </remarks>
internal static class AuthorityFix
{
    /// <summary>Static table index of the ":authority" name (RFC 7541 appendix A).</summary>
    private const int AuthorityNameIndex = 1;

    private static ReadOnlySpan<byte> RawScheme => "http://"u8;

    private static ReadOnlySpan<byte> RawReplacement => "httpx--"u8;

    // Huffman codes (RFC 7541 appendix B) of the characters involved, as (code, bits).
    private static readonly (uint Code, int Bits)[] HuffmanScheme =
        [(0x27, 6), (0x9, 5), (0x9, 5), (0x2b, 6), (0x5c, 7), (0x18, 6), (0x18, 6)]; // h t t p : / /
    private static readonly (uint Code, int Bits)[] HuffmanReplacement =
        [(0x27, 6), (0x9, 5), (0x9, 5), (0x2b, 6), (0x79, 7), (0x16, 6), (0x16, 6)]; // h t t p x - -

    private static readonly ulong HuffmanSchemeBits = Concatenate(HuffmanScheme);
    private static readonly ulong HuffmanReplacementBits = Concatenate(HuffmanReplacement);
    private static readonly int HuffmanPrefixBits = HuffmanScheme.Sum(c => c.Bits);

    /// <summary>Rewrites the :authority of one header block fragment in place. Returns true when
    /// it changed something. A fragment it cannot follow is left alone.</summary>
    public static bool TryRewrite(Span<byte> block)
    {
        var position = 0;
        while (position < block.Length)
        {
            var first = block[position];
            if ((first & 0x80) != 0)
            {
                // Indexed field: nothing to rewrite; an indexed :authority was fixed when it was added.
                if (!TrySkipInteger(block, ref position, 7))
                {
                    return false;
                }

                continue;
            }

            if ((first & 0xE0) == 0x20)
            {
                if (!TrySkipInteger(block, ref position, 5))
                {
                    return false;
                }

                continue;
            }

            // Literal: with incremental indexing (01), without indexing (0000) or never indexed (0001).
            var prefix = (first & 0xC0) == 0x40 ? 6 : 4;
            if (!TryReadInteger(block, ref position, prefix, out var nameIndex))
            {
                return false;
            }

            if (nameIndex == 0 && !TrySkipString(block, ref position))
            {
                return false;
            }

            if (position >= block.Length)
            {
                return false;
            }

            var huffman = (block[position] & 0x80) != 0;
            if (!TryReadInteger(block, ref position, 7, out var length) || length > block.Length - position)
            {
                return false;
            }

            if (nameIndex == AuthorityNameIndex)
            {
                var value = block.Slice(position, (int)length);
                return huffman ? TryRewriteHuffman(value) : TryRewriteRaw(value);
            }

            position += (int)length;
        }

        return false;
    }

    private static bool TryRewriteRaw(Span<byte> value)
    {
        if (!value.StartsWith(RawScheme))
        {
            return false;
        }

        RawReplacement.CopyTo(value);
        return true;
    }

    private static bool TryRewriteHuffman(Span<byte> value)
    {
        const int WindowBytes = 8;
        Span<byte> window = stackalloc byte[WindowBytes];
        var available = Math.Min(WindowBytes, value.Length);
        if (available * 8 < HuffmanPrefixBits)
        {
            return false;
        }

        window.Clear();
        value[..available].CopyTo(window);
        var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(window);
        var shift = 64 - HuffmanPrefixBits;
        if (bits >> shift != HuffmanSchemeBits)
        {
            return false;
        }

        var mask = (1UL << shift) - 1;
        bits = (HuffmanReplacementBits << shift) | (bits & mask);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(window, bits);
        window[..available].CopyTo(value);
        return true;
    }

    private static ulong Concatenate((uint Code, int Bits)[] codes)
    {
        var result = 0UL;
        foreach (var (code, bits) in codes)
        {
            result = (result << bits) | code;
        }

        return result;
    }

    private static bool TrySkipInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits) =>
        TryReadInteger(block, ref position, prefixBits, out _);

    private static bool TrySkipString(ReadOnlySpan<byte> block, ref int position)
    {
        if (position >= block.Length || !TryReadInteger(block, ref position, 7, out var length) || length > block.Length - position)
        {
            return false;
        }

        position += (int)length;
        return true;
    }

    /// <summary>HPACK integer with an N-bit prefix (RFC 7541 section 5.1).</summary>
    private static bool TryReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits, out long value)
    {
        var mask = (1 << prefixBits) - 1;
        value = block[position++] & mask;
        if (value < mask)
        {
            return true;
        }

        for (var shift = 0; shift <= 28; shift += 7)
        {
            if (position >= block.Length)
            {
                return false;
            }

            var next = block[position++];
            value += (long)(next & 0x7f) << shift;
            if ((next & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
