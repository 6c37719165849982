using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>
/// Serves etcd's v3 gRPC API (KV, Watch, Lease, Cluster, Maintenance) from the
/// <see cref="IKeyValueStore"/> and <see cref="IDatastoreMaintenance"/> registered in DI, so that
/// etcdctl and other etcd clients work unmodified. The host listens with HTTP/2 (h2c for
/// http:// endpoints, as etcdctl dials them).
/// </summary>
public static class EtcdApiExtensions
{
    public static IServiceCollection AddEtcdApi(this IServiceCollection services, EtcdMemberInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        services.AddSingleton(member);
        services.AddSingleton<ResponseHeaderFactory>();
        services.AddSingleton<KvResponseConverter>();
        services.AddSingleton<DatastoreErrorInterceptor>();

        // Singletons: the services hold no per-call state, so one instance serves every call.
        services.AddSingleton<KvService>();
        services.AddSingleton<WatchService>();
        services.AddSingleton<LeaseService>();
        services.AddSingleton<ClusterService>();
        services.AddSingleton<MaintenanceService>();

        // Options per service, so that other gRPC services of the host keep their own limits.
        services.AddGrpc()
            .AddServiceOptions<KvService>(Configure)
            .AddServiceOptions<WatchService>(Configure)
            .AddServiceOptions<LeaseService>(Configure)
            .AddServiceOptions<ClusterService>(Configure)
            .AddServiceOptions<MaintenanceService>(Configure);
        return services;
    }

    public static IEndpointRouteBuilder MapEtcdApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<KvService>();
        endpoints.MapGrpcService<WatchService>();
        endpoints.MapGrpcService<LeaseService>();
        endpoints.MapGrpcService<ClusterService>();
        endpoints.MapGrpcService<MaintenanceService>();
        return endpoints;
    }

    private static void Configure<TService>(GrpcServiceOptions<TService> options)
        where TService : class
    {
        options.MaxReceiveMessageSize = EtcdLimits.MaxReceiveMessageBytes;
        options.Interceptors.Add<DatastoreErrorInterceptor>();
    }
}
