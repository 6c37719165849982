using System.Runtime.InteropServices;

namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>Sends a signal to a process: .NET can only SIGKILL (Process.Kill), and CliWrap's
/// graceful cancellation sends SIGINT, but a service manager stops litekube with SIGTERM.</summary>
public static class PosixSignal
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static void Send(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            const int NoSuchProcess = 3; // ESRCH: it has already exited, which is what we wanted
            if (errno != NoSuchProcess)
            {
                throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {errno}");
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
