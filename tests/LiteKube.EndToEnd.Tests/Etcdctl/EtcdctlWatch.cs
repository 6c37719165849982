using System.Threading.Channels;
using CliWrap;
using LiteKube.EndToEnd.Tests.Infrastructure;

namespace LiteKube.EndToEnd.Tests.Etcdctl;

/// <summary>A long-running <c>etcdctl watch</c>: its stdout lines arrive on a channel; disposing
/// kills it. Reads wait a bounded time and fail with what was seen so far.</summary>
public sealed class EtcdctlWatch : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];
    private readonly List<string> _stderr = [];
    private readonly CancellationTokenSource _kill = new();
    private readonly Task _running;

    private EtcdctlWatch(Command command)
    {
        _running = command
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => _lines.Writer.TryWrite(line)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => { lock (_stderr) { _stderr.Add(line); } }))
            .ExecuteAsync(_kill.Token)
            .Task.ContinueWith(_ => _lines.Writer.TryComplete(), TaskScheduler.Default);
    }

    public static EtcdctlWatch Start(LiteKubeProcess node, params string[] arguments) =>
        new(node.EtcdctlCommand(["watch", .. arguments]));

    /// <summary>The next <paramref name="count"/> lines of output.</summary>
    public async Task<string[]> ReadLinesAsync(int count)
    {
        var lines = new string[count];
        using var timeout = new CancellationTokenSource(Patience);
        for (var i = 0; i < count; i++)
        {
            try
            {
                lines[i] = await _lines.Reader.ReadAsync(timeout.Token);
                _seen.Add(lines[i]);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                string stderr;
                lock (_stderr) { stderr = string.Join("\n", _stderr); }
                Assert.Fail($"etcdctl watch printed {i} of {count} lines ({(e is ChannelClosedException ? "it exited" : $"waited {Patience.TotalSeconds} s")}); " +
                    $"all output so far:\n{string.Join("\n", _seen)}\n--- stderr ---\n{stderr}");
            }
        }
        return lines;
    }

    /// <summary>No further line is waiting (checked without waiting).</summary>
    public void AssertNoMoreLines()
    {
        Assert.False(_lines.Reader.TryRead(out var line), $"unexpected watch output: {line}");
    }

    public async ValueTask DisposeAsync()
    {
        await _kill.CancelAsync();
        try
        {
            await _running.WaitAsync(Patience);
        }
        catch (OperationCanceledException)
        {
            // The kill we asked for.
        }
        _kill.Dispose();
    }
}
