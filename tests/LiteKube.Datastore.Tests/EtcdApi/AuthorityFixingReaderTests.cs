using System.Buffers;
using System.IO.Pipelines;
using LiteKube.Datastore.EtcdApi.Http2;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class AuthorityFixingReaderTests
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    [Fact]
    public async Task A_headers_frame_that_arrives_in_two_parts_is_held_back_then_handed_out_fixed()
    {
        var value = "http://127.0.0.1:2379"u8.ToArray();
        byte[] block = [0x82, 0x41, (byte)value.Length, .. value];
        byte[] data = [0, 0, 4, 0x0, 0x1, 0, 0, 0, 1, 1, 2, 3, 4]; // a DATA frame
        var bytes = Preface.Concat(Frame(type: 0x1, block)).Concat(data).ToArray();
        var pipe = new Pipe();
        var reader = new AuthorityFixingReader(pipe.Reader);

        await pipe.Writer.WriteAsync(bytes.AsMemory(0, Preface.Length + 12));
        var first = await reader.ReadAsync();
        var firstLength = first.Buffer.Length;
        reader.AdvanceTo(first.Buffer.End);
        await pipe.Writer.WriteAsync(bytes.AsMemory(Preface.Length + 12));
        var second = await reader.ReadAsync();
        var rest = second.Buffer.ToArray();
        reader.AdvanceTo(second.Buffer.End);

        Assert.Equal(Preface.Length, firstLength);
        var fixedValue = rest.AsSpan(9 + 3, value.Length).ToArray();
        Assert.Equal("httpx--127.0.0.1:2379"u8.ToArray(), fixedValue);
        Assert.Equal(data, rest[^data.Length..]);
    }

    [Fact]
    public async Task A_connection_that_is_not_http2_passes_through_untouched()
    {
        var bytes = "GET / HTTP/1.1\r\nHost: http://x\r\n\r\n"u8.ToArray();
        var pipe = new Pipe();
        var reader = new AuthorityFixingReader(pipe.Reader);

        await pipe.Writer.WriteAsync(bytes);
        var result = await reader.ReadAsync();

        Assert.Equal(bytes, result.Buffer.ToArray());
    }

    [Fact]
    public async Task A_short_non_http2_request_is_handed_out_without_waiting_for_more()
    {
        var bytes = "GET / HTTP/1.1\r\n\r\n"u8.ToArray();
        var pipe = new Pipe();
        var reader = new AuthorityFixingReader(pipe.Reader);

        await pipe.Writer.WriteAsync(bytes);
        var result = await reader.ReadAsync();

        Assert.Equal(bytes, result.Buffer.ToArray());
    }

    private static byte[] Frame(byte type, byte[] payload) =>
        [(byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, 0x4, 0, 0, 0, 1, .. payload];
}
