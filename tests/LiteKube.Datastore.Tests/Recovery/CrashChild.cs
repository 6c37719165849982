using System.Diagnostics;

namespace LiteKube.Datastore.Tests.Recovery;

/// <summary>One acknowledged write printed by the child (see tests/LiteKube.Datastore.CrashChild).</summary>
public sealed record Ack(string Kind, string Id, long Revision)
{
    /// <summary>Null for anything but a complete ack line (a line cut by the kill lacks its ";").</summary>
    public static Ack? Parse(string line)
    {
        if (!line.EndsWith(';'))
        {
            return null;
        }
        var parts = line[..^1].Split(' ');
        return parts.Length == 3 && parts[0] is "put" or "txn" or "del" && long.TryParse(parts[2], out var revision)
            ? new Ack(parts[0], parts[1], revision)
            : null;
    }
}

/// <summary>
/// The write-load child process: started on a store directory, it prints one line per
/// acknowledged write until <see cref="KillAsync"/> sends it SIGKILL.
/// </summary>
public sealed class CrashChild : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Task _reading;
    private readonly List<Ack> _acks = [];
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource<long> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CrashChild(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { lock (_stderr) { _stderr.Add(line); } } };
        _process.BeginErrorReadLine();
        _reading = Task.Run(ReadAcksAsync);
    }

    /// <summary>Starts the child (built beside the tests through a project reference).</summary>
    public static CrashChild Start(string directory, string tag, int writers)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "LiteKube.Datastore.CrashChild.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build tests/LiteKube.Datastore.CrashChild");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, directory, tag, writers.ToString() })
        {
            info.ArgumentList.Add(arg);
        }
        return new CrashChild(Process.Start(info) ?? throw new InvalidOperationException("could not start the crash child"));
    }

    /// <summary>The acknowledged writes read so far.</summary>
    public IReadOnlyList<Ack> Acks
    {
        get { lock (_acks) { return [.. _acks]; } }
    }

    /// <summary>The revision the child's store opened at.</summary>
    public async Task<long> ReadyAsync() => await _ready.Task.WaitAsync(Patience);

    /// <summary>Waits (bounded) until the child has acknowledged at least <paramref name="count"/> writes.</summary>
    public async Task WaitForAcksAsync(int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (Acks.Count < count)
        {
            Assert.False(_process.HasExited, $"the crash child exited early with {(_process.HasExited ? _process.ExitCode : 0)}: {Stderr()}");
            Assert.True(DateTime.UtcNow < deadline, $"the crash child acknowledged only {Acks.Count} of {count} writes in {Patience.TotalSeconds} s: {Stderr()}");
            await Task.Delay(10);
        }
    }

    /// <summary>SIGKILLs the child and returns every write it acknowledged (read to the end of its output).</summary>
    public async Task<IReadOnlyList<Ack>> KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(Patience);
        await _reading.WaitAsync(Patience);
        return Acks;
    }

    private async Task ReadAcksAsync()
    {
        // A line cut by the kill still comes back from ReadLineAsync; Parse drops it. That loses
        // nothing the test relies on: it only checks writes it saw acknowledged in full.
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                _ready.TrySetResult(long.Parse(line["ready ".Length..]));
            }
            else if (Ack.Parse(line) is { } ack)
            {
                lock (_acks) { _acks.Add(ack); }
            }
        }
        _ready.TrySetException(new Xunit.Sdk.XunitException($"the crash child ended before it was ready: {Stderr()}"));
    }

    private string Stderr()
    {
        lock (_stderr) { return string.Join(" | ", _stderr.TakeLast(10)); }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
