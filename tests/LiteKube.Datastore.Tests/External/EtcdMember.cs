using System.Diagnostics;
using System.Net;

namespace LiteKube.Datastore.Tests.External;

/// <summary>One real <c>/usr/bin/etcd</c> process of an <see cref="EtcdCluster"/>, restartable
/// over the same data directory.</summary>
public sealed class EtcdMember
{
    public const string EtcdPath = "/usr/bin/etcd";
    private readonly MemberProcess process;

    internal EtcdMember(string name, IPAddress address, Uri clientUrl, Uri peerUrl, string dataDirectory, string logFile, IReadOnlyList<string> arguments)
    {
        Address = address;
        ClientUrl = clientUrl;
        PeerUrl = peerUrl;
        DataDirectory = dataDirectory;
        process = new MemberProcess(name, EtcdPath, arguments, logFile);
    }

    public string Name => process.Name;

    public IPAddress Address { get; }

    /// <summary>https://127.0.N.i:2379 (http:// when the cluster runs without TLS).</summary>
    public Uri ClientUrl { get; }

    public Uri PeerUrl { get; }

    public string DataDirectory { get; }

    /// <summary>etcd's own log (zap, JSON lines); read it when a test fails.</summary>
    public string LogFile => process.LogFile;

    public int? ProcessId => process.ProcessId;

    public bool IsRunning => process.IsRunning;

    /// <inheritdoc cref="MemberProcess.PrepareStart"/>
    public Action<ProcessStartInfo>? PrepareStart
    {
        get => process.PrepareStart;
        set => process.PrepareStart = value;
    }

    internal void Start() => process.Start();

    /// <inheritdoc cref="MemberProcess.Kill"/>
    public void Kill() => process.Kill();

    /// <inheritdoc cref="MemberProcess.Pause"/>
    public void Pause() => process.Pause();

    /// <inheritdoc cref="MemberProcess.Resume"/>
    public void Resume() => process.Resume();

    /// <inheritdoc cref="MemberProcess.LogTail"/>
    public string LogTail(int lines = 20) => process.LogTail(lines);
}
