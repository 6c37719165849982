using System.Diagnostics;
using System.Runtime.InteropServices;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using LiteKube.Benchmarks.Clients;

namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// A server child process: output captured to a log file (and a short in-memory tail), readiness
/// from a log marker plus a real Range request, and a stop that always happens.
/// </summary>
public sealed partial class ServerProcess : IBenchmarkServer
{
    private const int Sigterm = 15;
    private const int Sigkill = 9;
    private const int TailLines = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly string _readyMarker;
    private readonly TaskCompletionSource _markerSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(string name, string endpoint, string dataDirectory, Process process, StreamWriter log, string readyMarker)
    {
        Name = name;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
        _process = process;
        _log = log;
        _readyMarker = readyMarker;
    }

    public string Name { get; }
    public string Endpoint { get; }
    public string DataDirectory { get; }
    public long ReadyTimestamp { get; private set; }

    /// <summary>When the ready marker was read from the output (Stopwatch timestamp), before the probe.</summary>
    public long MarkerTimestamp { get; private set; }
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts <paramref name="fileName"/> in <paramref name="workDirectory"/> (which also receives
    /// server.log) and waits until it has logged <paramref name="readyMarker"/>
    /// and answered a Range on <paramref name="endpoint"/>. On failure the process is stopped and the
    /// exception carries the tail of its log.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        string endpoint,
        string workDirectory,
        string dataDirectory,
        string readyMarker,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workDirectory);
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            // null removes a variable the server would otherwise read as configuration.
            if (value is null)
            {
                startInfo.Environment.Remove(key);
            }
            else
            {
                startInfo.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var log = new StreamWriter(Path.Combine(workDirectory, "server.log")) { AutoFlush = true };
        var server = new ServerProcess(name, endpoint, dataDirectory, process, log, readyMarker);
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnOutput(e.Data);
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException($"{name}: could not start {fileName}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            await log.DisposeAsync();
            throw new InvalidOperationException($"{name}: could not start {fileName}: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public MemoryUsage ReadMemory() => ProcessTreeStats.ReadMemory(_process.Id);

    public CpuTimes ReadCpuTimes() => ProcessTreeStats.ReadCpuTimes(_process.Id);

    public string LogTail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>SIGKILL and wait for the exit, as a power cut would end it; then release it.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, Sigkill);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started: nothing to kill.
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM first: a clean shutdown is part of what both servers promise.
                _ = Kill(_process.Id, Sigterm);
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"bench: {Name} ignored SIGTERM for {StopGrace.TotalSeconds} s; killing it");
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started: nothing to stop.
        }
        finally
        {
            _process.Dispose();
            lock (_tail)
            {
                _log.Dispose();
            }
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var exited = _process.WaitForExitAsync(timeout.Token);
        try
        {
            var first = await Task.WhenAny(_markerSeen.Task, exited, Task.Delay(Timeout.Infinite, timeout.Token));
            await first; // surfaces cancellation
            if (first == exited)
            {
                throw Failure($"exited with code {_process.ExitCode} before logging \"{_readyMarker}\"");
            }

            await ProbeAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure($"not ready after {StartTimeout.TotalSeconds} s");
        }
    }

    /// <summary>A log line is a promise; a Range answered over the wire is proof.</summary>
    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        using var connection = EtcdConnection.Open(Endpoint);
        var request = new RangeRequest { Key = ByteString.CopyFromUtf8("bench-probe") };
        while (true)
        {
            try
            {
                await connection.Kv.RangeAsync(request, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                ReadyTimestamp = Stopwatch.GetTimestamp();
                return;
            }
            catch (RpcException) when (!_process.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (RpcException e)
            {
                throw Failure($"exited with code {_process.ExitCode} while answering its first request: {e.Status.Detail}");
            }
        }
    }

    private InvalidOperationException Failure(string what) =>
        new($"{Name} {what}. Last log lines:\n{LogTail()}");

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            if (_tail.Count == TailLines)
            {
                _tail.Dequeue();
            }

            _tail.Enqueue(line);
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output racing with shutdown; the tail still has it.
            }
        }

        if (line.Contains(_readyMarker, StringComparison.OrdinalIgnoreCase) && !_markerSeen.Task.IsCompleted)
        {
            MarkerTimestamp = Stopwatch.GetTimestamp();
            _markerSeen.TrySetResult();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
