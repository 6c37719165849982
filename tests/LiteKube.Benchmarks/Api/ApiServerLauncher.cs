using System.Net;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Api;

/// <summary>
/// Starts the published <c>litekube server</c> (RocksDB datastore, HTTPS Kubernetes API) on its own
/// loopback address and an empty data dir, and waits until <c>/readyz</c> answers with the admin
/// certificate the server created.
/// </summary>
public static class ApiServerLauncher
{
    public const int ApiPort = 6443;
    private const int EtcdPort = 2379;

    public static async Task<(ServerProcess Server, AdminHttp Http)> StartAsync(
        string binary, IPAddress address, string workDirectory, string extractDirectory, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(workDirectory, "data");
        LoopbackPort.EnsureFree(address, EtcdPort, "--litekube-address");
        LoopbackPort.EnsureFree(address, ApiPort, "--litekube-address");
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("LITEKUBE_", StringComparison.Ordinal))
            .ToDictionary(k => k, _ => (string?)null);
        environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = extractDirectory;
        string[] arguments = ["server", "--data-dir", dataDirectory, "--bind-address", address.ToString(), "--api-port", $"{ApiPort}"];
        var server = await ServerProcess.StartAsync(
            "litekube", binary, arguments, environment, $"http://{address}:{EtcdPort}", workDirectory, dataDirectory,
            "litekube server ready", cancellationToken);
        try
        {
            var http = new AdminHttp(Path.Combine(dataDirectory, "tls"), new Uri($"https://{address}:{ApiPort}"));
            await WaitReadyAsync(http, cancellationToken);
            return (server, http);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitReadyAsync(AdminHttp http, CancellationToken cancellationToken)
    {
        using var client = http.Create(maxConnections: 1);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        string last = "no answer";
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/readyz", timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode}";
                await Task.Delay(200, timeout.Token);
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"litekube: /readyz not OK after 60 s ({last})");
            }
        }
    }
}
