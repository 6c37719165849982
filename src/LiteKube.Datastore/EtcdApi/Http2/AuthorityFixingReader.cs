using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.InteropServices;

namespace LiteKube.Datastore.EtcdApi.Http2;

/// <summary>
/// Sits between the socket and Kestrel's HTTP/2 connection on the etcd port and applies
/// <see cref="AuthorityFix"/> to every HEADERS frame, in the receive buffer itself (no copy).
/// Kestrel takes whatever bytes have arrived, so a HEADERS frame (or a frame header) that has
/// only partly arrived is held back until it is complete; every other byte passes at once.
/// Only the 9-byte frame headers and HEADERS payloads are looked at; CONTINUATION frames are
/// not, since clients put the pseudo-headers (:authority among them) first, well inside the
/// HEADERS frame.
/// </summary>
internal sealed class AuthorityFixingReader(PipeReader inner) : PipeReader
{
    private const int FrameHeaderBytes = 9;
    private const byte HeadersFrame = 0x1;
    private const byte FlagPadded = 0x8;
    private const byte FlagPriority = 0x20;

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    // Positions are counted in bytes from the start of the connection.
    private long bufferStart;           // where the last buffer read from the socket starts
    private ReadOnlySequence<byte> received;
    private ReadOnlySequence<byte> handedOut;
    private long nextFrame = -1;        // start of the next frame; -1 until the preface was seen
    private bool passThrough;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        Inspect(await inner.ReadAsync(cancellationToken).ConfigureAwait(false));

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out var innerResult))
        {
            result = default;
            return false;
        }

        result = Inspect(innerResult);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        bufferStart += received.Slice(received.Start, consumed).Length;
        // Bytes held back count as examined: the socket must deliver more before the next read.
        if (handedOut.Length < received.Length && examined.Equals(handedOut.End))
        {
            examined = received.End;
        }

        received = default;
        handedOut = default;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private ReadResult Inspect(ReadResult result)
    {
        received = result.Buffer;
        var safeEnd = passThrough || result.IsCompleted ? bufferStart + received.Length : Scan();
        handedOut = received.Slice(0, safeEnd - bufferStart);
        return new ReadResult(handedOut, result.IsCanceled, result.IsCompleted && handedOut.Length == received.Length);
    }

    /// <summary>Patches what is complete and returns how far Kestrel may read.</summary>
    private long Scan()
    {
        var end = bufferStart + received.Length;
        if (nextFrame < 0)
        {
            // Nothing is consumed before the preface is complete, so the buffer starts at 0.
            var seen = (int)Math.Min(end, Preface.Length);
            Span<byte> start = stackalloc byte[Preface.Length];
            received.Slice(0, seen).CopyTo(start);
            if (!start[..seen].SequenceEqual(Preface[..seen]))
            {
                // Not HTTP/2 with prior knowledge (TLS, or HTTP/1 on a misconfigured listener):
                // none of this reader's business, and nothing may be held back.
                passThrough = true;
                return end;
            }

            if (seen < Preface.Length)
            {
                return bufferStart;
            }

            nextFrame = Preface.Length;
        }

        Span<byte> header = stackalloc byte[FrameHeaderBytes];
        while (nextFrame < end)
        {
            // The frame header at nextFrame is never handed out before it is read here, so it
            // is still in the buffer.
            if (end - nextFrame < FrameHeaderBytes)
            {
                return nextFrame;
            }

            received.Slice(nextFrame - bufferStart, FrameHeaderBytes).CopyTo(header);
            var length = (int)(BinaryPrimitives.ReadUInt32BigEndian(header) >> 8);
            if (header[3] == HeadersFrame)
            {
                if (end - nextFrame < FrameHeaderBytes + length)
                {
                    return nextFrame;
                }

                RewriteHeaders(received.Slice(nextFrame - bufferStart + FrameHeaderBytes, length), header[4]);
            }

            nextFrame += FrameHeaderBytes + length;
        }

        return end;
    }

    private static void RewriteHeaders(ReadOnlySequence<byte> payload, byte flags)
    {
        var skip = 0;
        var padding = 0;
        if ((flags & FlagPadded) != 0 && payload.Length > 0)
        {
            padding = payload.FirstSpan[0];
            skip = 1;
        }

        if ((flags & FlagPriority) != 0)
        {
            skip += 5;
        }

        var blockLength = payload.Length - skip - padding;
        if (blockLength <= 0)
        {
            return;
        }

        var block = payload.Slice(skip, blockLength);
        if (block.IsSingleSegment)
        {
            // The pipe's buffers are writable pooled memory; the read-only view is the pipe's API.
            AuthorityFix.TryRewrite(MemoryMarshal.AsMemory(block.First).Span);
            return;
        }

        var copy = block.ToArray();
        if (AuthorityFix.TryRewrite(copy))
        {
            var offset = 0;
            foreach (var segment in block)
            {
                copy.AsSpan(offset, segment.Length).CopyTo(MemoryMarshal.AsMemory(segment).Span);
                offset += segment.Length;
            }
        }
    }
}
