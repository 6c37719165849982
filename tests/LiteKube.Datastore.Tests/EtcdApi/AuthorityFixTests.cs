using LiteKube.Datastore.EtcdApi.Http2;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class AuthorityFixTests
{
    [Fact]
    public void A_raw_url_authority_becomes_a_valid_host_of_the_same_length()
    {
        // :method GET (indexed 2), then :authority (literal, incremental indexing, name index 1).
        var value = "http://127.0.0.1:2379"u8.ToArray();
        byte[] block = [0x82, 0x41, (byte)value.Length, .. value];

        Assert.True(AuthorityFix.TryRewrite(block));

        Assert.Equal("httpx--127.0.0.1:2379"u8.ToArray(), block[3..]);
    }

    [Fact]
    public void A_huffman_coded_url_authority_is_rewritten_bit_for_bit_in_place()
    {
        // "http://1" Huffman coded: h t t p : / / 1 = 46 bits, padded with ones to 6 bytes.
        byte[] encoded = Huffman((0x27, 6), (0x9, 5), (0x9, 5), (0x2b, 6), (0x5c, 7), (0x18, 6), (0x18, 6), (0x1, 5));
        byte[] expected = Huffman((0x27, 6), (0x9, 5), (0x9, 5), (0x2b, 6), (0x79, 7), (0x16, 6), (0x16, 6), (0x1, 5));
        byte[] block = [0x01, (byte)(0x80 | encoded.Length), .. encoded];

        Assert.True(AuthorityFix.TryRewrite(block));

        Assert.Equal(expected, block[2..]);
    }

    [Fact]
    public void A_valid_authority_and_other_headers_are_left_alone()
    {
        var value = "127.0.0.1:2379"u8.ToArray();
        var other = "http://not-the-authority"u8.ToArray();
        // user-agent (static 58) literal first, then a proper :authority.
        byte[] block = [0x7a, (byte)other.Length, .. other, 0x41, (byte)value.Length, .. value];
        var before = block.ToArray();

        Assert.False(AuthorityFix.TryRewrite(block));

        Assert.Equal(before, block);
    }

    [Fact]
    public void A_truncated_header_block_is_left_alone()
    {
        byte[] block = [0x41, 0x7f, 0x80];

        Assert.False(AuthorityFix.TryRewrite(block));

        Assert.Equal([0x41, 0x7f, 0x80], block);
    }

    private static byte[] Huffman(params (uint Code, int Bits)[] codes)
    {
        var bits = 0UL;
        var count = 0;
        foreach (var (code, length) in codes)
        {
            bits = (bits << length) | code;
            count += length;
        }

        var bytes = (count + 7) / 8;
        var padding = bytes * 8 - count;
        bits = (bits << padding) | ((1UL << padding) - 1);
        var result = new byte[bytes];
        for (var i = bytes - 1; i >= 0; i--)
        {
            result[i] = (byte)bits;
            bits >>= 8;
        }

        return result;
    }
}
