using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// Wiring for the host: register the member's <see cref="GrpcRaftTransport"/> and map its
/// receiving service on the cluster-port listener (HTTP/2; h2c until issue #5 brings TLS).
/// </summary>
public static class RaftTransportEndpoints
{
    public static IServiceCollection AddRaftTransport(this IServiceCollection services, GrpcRaftTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        services.AddSingleton(transport);
        services.AddSingleton<RaftTransportService>();
        // Options for this service only: the etcd API keeps its own limits.
        services.AddGrpc().AddServiceOptions<RaftTransportService>(options =>
        {
            options.MaxReceiveMessageSize = transport.Options.MaxReceiveMessageBytes;
            options.MaxSendMessageSize = null;
            options.EnableDetailedErrors = false;
        });
        return services;
    }

    /// <summary>Maps the Raft service; restrict it to the cluster port with
    /// <c>.RequireHost("*:25000")</c> when the host shares endpoints between listeners.</summary>
    public static GrpcServiceEndpointConventionBuilder MapRaftTransport(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService<RaftTransportService>();
}
