using System.Net;
using Xunit.Abstractions;

namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>How to start one <c>litekube server</c>. Every property has a sensible default, so
/// <c>new LiteKubeProcessOptions()</c> (or no options at all) starts a fresh node.</summary>
public sealed record LiteKubeProcessOptions
{
    /// <summary>Passed as <c>--bind-address</c>; default: a fresh 127.0.0.N.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>Passed as <c>--data-dir</c>; default: a fresh temporary directory that is deleted
    /// when the process is disposed.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Written to a file passed as <c>--config</c>, so the machine's
    /// /etc/litekube/config.yaml never leaks into a test.</summary>
    public string ConfigYaml { get; init; } = "";

    /// <summary>When false, <c>--bind-address</c> is not passed, so a test can set it through
    /// <see cref="ExtraArguments"/>, <see cref="Environment"/> or <see cref="ConfigYaml"/>
    /// (<see cref="Address"/> is still where <see cref="LiteKubeProcess.EtcdEndpoint"/> points).</summary>
    public bool PassBindAddress { get; init; } = true;

    /// <summary>More arguments after <c>server --data-dir D --bind-address A --config C</c>.
    /// litekube refuses a flag given twice.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Environment variables for the server; inherited <c>LITEKUBE_*</c> are removed.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The binary to run; default <see cref="LiteKubeBinary.Path"/>.</summary>
    public string? Binary { get; init; }

    /// <summary>When false, <see cref="LiteKubeProcess.StartAsync"/> returns once the process
    /// runs (founders of a cluster are not ready until enough of them run); call
    /// <see cref="LiteKubeProcess.WaitUntilReadyAsync"/> later.</summary>
    public bool WaitForReady { get; init; } = true;

    /// <summary>How long to wait for the ready line.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where to copy the server's output as it arrives (a test's xunit output).</summary>
    public ITestOutputHelper? Output { get; init; }
}
