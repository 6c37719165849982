using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;

namespace LiteKube.Datastore.Tests.External;

/// <summary>One real <c>/usr/bin/etcd</c> process of an <see cref="EtcdCluster"/>, restartable
/// over the same data directory.</summary>
public sealed class EtcdMember
{
    public const string EtcdPath = "/usr/bin/etcd";
    private const int SigStop = 19;
    private const int SigCont = 18;
    private readonly IReadOnlyList<string> arguments;
    private Process? process;

    internal EtcdMember(string name, IPAddress address, Uri clientUrl, Uri peerUrl, string dataDirectory, string logFile, IReadOnlyList<string> arguments)
    {
        Name = name;
        Address = address;
        ClientUrl = clientUrl;
        PeerUrl = peerUrl;
        DataDirectory = dataDirectory;
        LogFile = logFile;
        this.arguments = arguments;
    }

    public string Name { get; }

    public IPAddress Address { get; }

    /// <summary>https://127.0.N.i:2379 (http:// when the cluster runs without TLS).</summary>
    public Uri ClientUrl { get; }

    public Uri PeerUrl { get; }

    public string DataDirectory { get; }

    /// <summary>etcd's own log (zap, JSON lines); read it when a test fails.</summary>
    public string LogFile { get; }

    public int? ProcessId => process is { HasExited: false } ? process.Id : null;

    public bool IsRunning => process is { HasExited: false };

    /// <summary>Adjusts how the next start launches the process (the fault harness starts each
    /// member inside its own cgroup, so that iptables can cut one member's peer traffic).</summary>
    public Action<ProcessStartInfo>? PrepareStart { get; set; }

    internal void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"etcd member {Name} is already running");
        }

        var start = new ProcessStartInfo(EtcdPath) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        PrepareStart?.Invoke(start);
        process?.Dispose();
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {EtcdPath}");
    }

    /// <summary>SIGKILL: the member dies without flushing anything it has not synced.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>SIGSTOP: the member stops answering but keeps its connections open.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal(SigCont);

    /// <summary>The last lines of the member's log, for failure messages.</summary>
    public string LogTail(int lines = 20)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(no log: {e.Message})";
        }
    }

    private void Signal(int signal)
    {
        if (process is not { HasExited: false })
        {
            throw new InvalidOperationException($"etcd member {Name} is not running");
        }

        if (Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
