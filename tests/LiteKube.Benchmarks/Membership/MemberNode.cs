using System.Diagnostics;
using System.Net;
using System.Text;
using LiteKube.Benchmarks.Api;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Membership;

/// <summary>
/// One node of the membership suite: a published <c>litekube server</c> on its own 127.0.3.N with
/// the default ports and its own data dir, started fresh, with <c>--join</c>, or again on its
/// data dir after a kill. It is reached as an administrator would: the admin client certificate
/// it wrote under <c>&lt;data-dir&gt;/tls</c>, for <c>litekube status</c>'s endpoint on the
/// cluster port and for the Kubernetes API.
/// </summary>
public sealed class MemberNode(string name, IPAddress address, string directory, LiteKubeCli cli) : IAsyncDisposable
{
    public const int EtcdPort = 2379;
    public const int ApiPort = 6443;
    public const int ClusterPort = 25000;
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private ServerProcess? process;
    private AdminHttp? credentials;
    private HttpClient? http;
    private int starts;

    public string Name => name;

    public IPAddress Address => address;

    public string DataDirectory { get; } = Path.Combine(directory, "data");

    public bool IsRunning => process is not null;

    /// <summary>When the last start logged its ready line (Stopwatch timestamp).</summary>
    public long ReadyLineTimestamp => process?.MarkerTimestamp ?? throw new InvalidOperationException($"{name} is not running");

    /// <summary>Starts the server and waits for its ready line and a first answered etcd Range.
    /// With <paramref name="join"/> on an empty data dir it joins; later starts find their
    /// stored membership.</summary>
    public async Task StartAsync(string? join, CancellationToken cancellationToken)
    {
        if (process is not null)
        {
            throw new InvalidOperationException($"{name} is running already");
        }

        string[] arguments =
        [
            "server",
            "--data-dir", DataDirectory,
            "--bind-address", address.ToString(),
            "--node-name", name,
            .. join is null ? Array.Empty<string>() : ["--join", join],
        ];
        // Each start logs into its own directory, so the log of a run that failed stays readable.
        process = await ServerProcess.StartAsync(
            $"litekube-{name}", cli.Binary, arguments, LiteKubeServer.Environment(cli.ExtractDirectory), $"http://{address}:{EtcdPort}",
            Path.Combine(directory, $"start-{++starts}"), DataDirectory, LiteKubeServer.ReadyMarker, cancellationToken);
    }

    /// <summary>kill -9, as a power cut would end it; the data dir stays for a restart.</summary>
    public async Task KillAsync()
    {
        lock (gate)
        {
            http?.Dispose();
            credentials?.Dispose();
            (http, credentials) = (null, null);
        }

        if (process is { } running)
        {
            process = null;
            await running.KillAsync();
        }
    }

    /// <summary>What <c>litekube status --format json</c> on this node prints; null when it does
    /// not answer in time or answers with an error (a node being started or killed).</summary>
    public async Task<MemberStatusView?> TryStatusAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StatusTimeout);
        try
        {
            using var response = await Client().GetAsync(new Uri($"https://{address}:{ClusterPort}/litekube/v1/status"), timeout.Token);
            return response.IsSuccessStatusCode ? MemberStatusView.Parse(await response.Content.ReadAsStringAsync(timeout.Token)) : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Creates a ConfigMap through this node's Kubernetes API; true on 201 Created.</summary>
    public async Task<bool> TryCreateConfigMapAsync(string configMap, TimeSpan patience, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(patience);
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + configMap + "\"}}";
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await Client().PostAsync(new Uri($"https://{address}:{ApiPort}/api/v1/namespaces/default/configmaps"), content, timeout.Token);
            return response.StatusCode == HttpStatusCode.Created;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    public string LogTail() => process?.LogTail() ?? "(not running)";

    public async ValueTask DisposeAsync() => await KillAsync();

    /// <summary>One pooled client per started process: its credentials exist once it is ready.</summary>
    private HttpClient Client()
    {
        lock (gate)
        {
            if (http is null)
            {
                credentials = new AdminHttp(Path.Combine(DataDirectory, "tls"), new Uri($"https://{address}:{ApiPort}"));
                http = credentials.Create(maxConnections: 32);
            }

            return http;
        }
    }
}
