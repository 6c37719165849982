using System.Net;
using System.Text;
using LiteKube.ApiServer.Http;
using LiteKube.Datastore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace LiteKube.ApiServer.Health;

/// <summary>
/// /healthz, /livez and /readyz as kube-apiserver answers them: named checks, "ok" when all pass,
/// HTTP 500 with one <c>[+]name ok</c> / <c>[-]name failed</c> line per check when one fails (or
/// with <c>?verbose</c>), <c>?exclude=NAME</c> to skip a check, and <c>/readyz/NAME</c> for one
/// check (an unknown check is a NotFound Status). The datastore check is a real read, so a server whose datastore cannot answer (no
/// Raft leader, external etcd down) says so, and a stopping server stops being ready first.
/// </summary>
public sealed class HealthChecks(IKeyValueStore store, IHostApplicationLifetime lifetime)
{
    /// <summary>Long enough for a leader election (1 s timeout) to finish, short enough for a probe.</summary>
    private static readonly TimeSpan DatastoreTimeout = TimeSpan.FromSeconds(2);
    private static readonly byte[] HealthKey = "health"u8.ToArray();

    private delegate Task<string?> Check(CancellationToken cancellationToken);

    /// <summary>True for the paths this class answers.</summary>
    public static bool Handles(string path) => EndpointOf(path) is not null;

    public async Task ServeAsync(HttpContext context, string path)
    {
        var endpoint = EndpointOf(path)!;
        var checks = ChecksFor(endpoint);
        var single = path.Length > endpoint.Length + 2 ? path[(endpoint.Length + 2)..].TrimEnd('/') : null;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        if (single is not null)
        {
            if (!checks.TryGetValue(single, out var check))
            {
                // As for any path the server does not serve: a NotFound Status.
                throw new ApiException(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");
            }

            var problem = await check(context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = problem is null ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync(problem is null ? "ok" : $"internal server error: {single} failed: {problem}\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var excluded = context.Request.Query["exclude"].SelectMany(v => (v ?? "").Split(',')).ToHashSet(StringComparer.Ordinal);
        var verbose = context.Request.Query.ContainsKey("verbose");
        var report = new StringBuilder();
        var failed = false;
        foreach (var (name, check) in checks)
        {
            if (excluded.Contains(name))
            {
                report.Append("[+]").Append(name).Append(" excluded: ok\n");
                continue;
            }

            var problem = await check(context.RequestAborted).ConfigureAwait(false);
            failed |= problem is not null;
            // Upstream withholds the reason from the body (it can name internals) and logs it;
            // here the reasons are our own one-liners, and they are what an operator needs.
            report.Append(problem is null ? $"[+]{name} ok\n" : $"[-]{name} failed: {problem}\n");
        }

        context.Response.StatusCode = failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        var body = failed || verbose ? report.Append($"{endpoint} check {(failed ? "failed" : "passed")}\n").ToString() : "ok";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static string? EndpointOf(string path)
    {
        foreach (var endpoint in new[] { "healthz", "livez", "readyz" })
        {
            var root = "/" + endpoint;
            if (path == root || path == root + "/" || path.StartsWith(root + "/", StringComparison.Ordinal))
            {
                return endpoint;
            }
        }
        return null;
    }

    private Dictionary<string, Check> ChecksFor(string endpoint)
    {
        var checks = new Dictionary<string, Check>(StringComparer.Ordinal)
        {
            ["ping"] = _ => Task.FromResult<string?>(null),
            ["etcd"] = DatastoreAsync,
        };
        if (endpoint == "readyz")
        {
            // Load balancers must stop sending before the listeners close.
            checks["shutdown"] = _ => Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested ? "the server is shutting down" : null);
        }
        return checks;
    }

    private async Task<string?> DatastoreAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DatastoreTimeout);
        try
        {
            await store.RangeAsync(new RangeRequest(HealthKey) { Limit = 1 }, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (DatastoreException e)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the datastore did not answer within {DatastoreTimeout.TotalSeconds:0} s";
        }
    }
}
