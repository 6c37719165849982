using System.Diagnostics;
using System.Net;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>
/// Network partitions between processes that all talk over loopback, with Debian's iptables.
/// </summary>
/// <remarks>
/// <para>Why cgroups: a member dials its peers from 127.0.0.1 (the kernel's source address for
/// loopback), so addresses cannot tell whose traffic a packet is. Each member therefore starts
/// inside its own cgroup v2 group, and the rules match <c>-m cgroup --path</c> on OUTPUT: to
/// isolate member i, packets from i's group to any other member's peer port are dropped, and
/// packets from every other group to i's peer port. One direction of each TCP connection is
/// enough to stall it both ways (data and acknowledgements are both needed).</para>
/// <para>The rules live in a chain of their own (LK-FAULT-xxxxxxxx) jumped to from OUTPUT and
/// match only this cluster's groups, so other tests are never affected; dispose removes the
/// chain and the groups. Needs root, iptables and a cgroup v2 mount.</para>
/// </remarks>
public sealed class CgroupPartitions : IDisposable
{
    private readonly string _chain = $"LK-FAULT-{Guid.NewGuid():N}"[..17];
    private readonly string _root;
    private readonly string[] _groups;
    private readonly IReadOnlyList<IPEndPoint> _peers;
    private bool _disposed;

    private CgroupPartitions(string root, string[] groups, IReadOnlyList<IPEndPoint> peers)
    {
        _root = root;
        _groups = groups;
        _peers = peers;
    }

    /// <summary>Creates a group per member and the empty chain.</summary>
    /// <param name="peers">Each member's peer (member-to-member) listener.</param>
    /// <exception cref="InvalidOperationException">Not root, no iptables, or no cgroup v2 mount;
    /// the message says which.</exception>
    public static CgroupPartitions Create(IReadOnlyList<IPEndPoint> peers)
    {
        var root = CgroupV2Root() ?? throw new InvalidOperationException("partitions need a cgroup v2 mount (none in /proc/mounts)");
        if (!File.Exists("/usr/sbin/iptables"))
        {
            throw new InvalidOperationException("partitions need Debian's iptables (apt-get install iptables; tests/run.sh installs it)");
        }
        var id = Guid.NewGuid().ToString("N")[..8];
        var groups = peers.Select((_, i) => $"litekube-fault-{id}-m{i}").ToArray();
        foreach (var group in groups)
        {
            Directory.CreateDirectory(Path.Combine(root, group));
        }
        var partitions = new CgroupPartitions(root, groups, peers);
        partitions.Iptables("-N", partitions._chain);
        partitions.Iptables("-I", "OUTPUT", "-j", partitions._chain);
        return partitions;
    }

    /// <summary>Makes a process start inside member <paramref name="member"/>'s group: the shell
    /// joins the group, then execs the real program (same pid, so signals still reach it).</summary>
    public void StartInGroup(int member, ProcessStartInfo start)
    {
        var program = start.FileName;
        var arguments = start.ArgumentList.ToArray();
        start.FileName = "/bin/sh";
        start.ArgumentList.Clear();
        foreach (var argument in (string[])["-c", "echo $$ > \"$0\" && exec \"$@\"", Path.Combine(_root, _groups[member], "cgroup.procs"), program, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
    }

    public void Isolate(int member)
    {
        for (var other = 0; other < _peers.Count; other++)
        {
            if (other != member)
            {
                Drop(member, other);
                Drop(other, member);
            }
        }
    }

    public void Heal() => Iptables("-F", _chain);

    private void Drop(int from, int to) => Iptables("-A", _chain, "-m", "cgroup", "--path", _groups[from],
        "-d", _peers[to].Address.ToString(), "-p", "tcp", "--dport", _peers[to].Port.ToString(), "-j", "DROP");

    private void Iptables(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/sbin/iptables") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["-w", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"iptables {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Trim()}");
        }
    }

    private static string? CgroupV2Root() =>
        File.ReadLines("/proc/mounts").Select(line => line.Split(' ')).FirstOrDefault(f => f.Length > 2 && f[2] == "cgroup2")?[1];

    /// <summary>Call after the member processes are gone (a group with processes cannot be removed).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Iptables("-D", "OUTPUT", "-j", _chain);
        Iptables("-F", _chain);
        Iptables("-X", _chain);
        foreach (var group in _groups)
        {
            try
            {
                Directory.Delete(Path.Combine(_root, group));
            }
            catch (IOException)
            {
                // A process still exiting; an empty group left behind costs nothing.
            }
        }
    }
}
