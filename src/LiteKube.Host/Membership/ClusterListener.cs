using System.Net;
using System.Net.Sockets;
using Grpc.AspNetCore.Server;
using LiteKube.Cluster.Membership;
using LiteKube.Datastore.Replication.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host.Membership;

/// <summary>
/// The cluster port (<see cref="ServerSettings.ClusterPort"/>, default 25000): mutual TLS with
/// certificates of the cluster CA, serving Raft traffic between servers (peers only) and the
/// cluster API (<see cref="ClusterApi"/>: join, tokens, status, leave, remove-node). Its own
/// Kestrel application, started before the Kubernetes API: founders and joining members must
/// replicate before the API can initialise.
/// </summary>
internal sealed class ClusterListener(WebApplication app) : IAsyncDisposable
{
    public static async Task<ClusterListener> StartAsync(ServerSettings settings, ClusterTls tls, GrpcRaftTransport? transport, ClusterApi api,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "litekube-cluster" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddRouting();
        if (transport is not null)
        {
            builder.Services.AddRaftTransport(transport);
        }

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(settings.BindAddress, settings.ClusterPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(tls.ServerOptions());
            });
        });
        var app = builder.Build();
        app.UseRouting();
        app.UseStreamingCallShutdown();
        app.Use((context, next) => AuthorizePeersAsync(context, next, api));
        if (transport is not null)
        {
            app.MapRaftTransport();
        }

        api.Map(app);
        try
        {
            await app.StartAsync(cancellationToken);
            return new ClusterListener(app);
        }
        catch (Exception e)
        {
            await app.DisposeAsync();
            var where = new IPEndPoint(settings.BindAddress, settings.ClusterPort);
            throw e switch
            {
                _ when ServerHost.FindInChain<AddressInUseException>(e) is not null => new ServerStartupException(
                    $"starting the cluster listener on {where}: the address is already in use; stop what listens there or choose another --cluster-port", e),
                IOException or SocketException or UnauthorizedAccessException => new ServerStartupException(
                    $"starting the cluster listener on {where}: {ServerHost.OneLine(e.Message)}", e),
                _ => e,
            };
        }
    }

    /// <summary>Raft messages move the datastore: only servers of this cluster may send them,
    /// and a server that was removed (remove-node) is no longer one.</summary>
    private static async Task AuthorizePeersAsync(HttpContext context, RequestDelegate next, ClusterApi api)
    {
        var caller = ClusterTls.CallerOf(context);
        var grpc = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;
        string? refusal = grpc && caller != ClusterCaller.Peer ? "Raft traffic needs the cluster-port certificate of a server of this cluster" : null;
        if (refusal is null && caller == ClusterCaller.Peer && context.Connection.ClientCertificate is { } certificate
            && await api.WasRemovedAsync(ClusterTls.NameOf(certificate), context.RequestAborted))
        {
            refusal = $"node {ClusterTls.NameOf(certificate)} was removed from this cluster (remove-node); to serve again it must join anew";
        }

        if (refusal is not null && grpc)
        {
            // A trailers-only gRPC answer, so that the caller sees a status, not a broken stream.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "7"; // PERMISSION_DENIED
            context.Response.Headers["grpc-message"] = refusal;
            return;
        }

        if (refusal is not null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new ClusterApiError(refusal), ClusterApiJson.Default.ClusterApiError, contentType: null, context.RequestAborted);
            return;
        }

        await next(context);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(ServerHost.ShutdownTimeout);
        try
        {
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
