using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LiteKube.Datastore.Tests.External;

/// <summary>One restartable server process of a test cluster (an etcd member, a litekube server):
/// started over the same arguments each time, killed with SIGKILL, paused with SIGSTOP.</summary>
/// <param name="logFile">The process's log. With <paramref name="captureOutput"/> its stdout and
/// stderr are appended there (litekube logs to the console); without, the program writes it
/// itself (etcd's --log-outputs).</param>
public sealed class MemberProcess(string name, string program, IReadOnlyList<string> arguments, string logFile, bool captureOutput = false)
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private Process? process;

    public string Name { get; } = name;

    public string LogFile { get; } = logFile;

    public int? ProcessId => process is { HasExited: false } ? process.Id : null;

    public bool IsRunning => process is { HasExited: false };

    /// <summary>Adjusts how the next start launches the process (the fault harness starts each
    /// member inside its own cgroup, so that iptables can cut one member's peer traffic).</summary>
    public Action<ProcessStartInfo>? PrepareStart { get; set; }

    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        // The shell only redirects, then execs the program: same pid, so signals reach it.
        var start = captureOutput
            ? new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "exec \"$@\" >> \"$0\" 2>&1", LogFile, program } }
            : new ProcessStartInfo(program);
        start.UseShellExecute = false;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        PrepareStart?.Invoke(start);
        process?.Dispose();
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
    }

    /// <summary>SIGKILL: the process dies without flushing anything it has not synced.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>SIGSTOP: the process stops answering but keeps its connections open.</summary>
    public void Pause()
    {
        Signal(SigStop);
        WaitUntilStopped();
    }

    /// <summary>kill() returns before the stop takes effect: a thread that is running (or in
    /// uninterruptible I/O) stops only on its way back to user mode, and on a loaded machine a
    /// request sent right after could still be answered (CI saw one). Waits until every thread
    /// reports state T, for at most 5 s; past that the caller's own checks decide.</summary>
    private void WaitUntilStopped()
    {
        var tasks = $"/proc/{process!.Id}/task";
        var deadline = Environment.TickCount64 + 5_000;
        while (Environment.TickCount64 < deadline)
        {
            try
            {
                if (Directory.EnumerateDirectories(tasks).All(IsStopped))
                {
                    return;
                }
            }
            catch (IOException)
            {
                return; // the process went away: nothing left to wait for
            }

            Thread.Sleep(1);
        }

        static bool IsStopped(string task)
        {
            try
            {
                // /proc/PID/task/TID/stat: "tid (comm) S ...", comm may hold spaces or parentheses.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 2)[0];
                return state is "T" or "t";
            }
            catch (IOException)
            {
                return true; // the thread exited
            }
        }
    }

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal(SigCont);

    /// <summary>The last lines of the log, for failure messages.</summary>
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
            throw new InvalidOperationException($"{Name} is not running");
        }

        if (Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
