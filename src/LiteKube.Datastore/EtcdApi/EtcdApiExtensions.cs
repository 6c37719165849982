using Grpc.AspNetCore.Server;
using LiteKube.Datastore.EtcdApi.Http2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>
/// Serves etcd's v3 gRPC API (KV, Watch, Lease, Cluster, Maintenance) from the
/// <see cref="IKeyValueStore"/> and <see cref="IDatastoreMaintenance"/> registered in DI, so that
/// etcdctl and other etcd clients work unmodified. The host listens with HTTP/2 only (h2c for
/// http:// endpoints, as etcdctl dials them) and calls <see cref="UseEtcdClientCompatibility"/>
/// on that listener.
/// </summary>
public static class EtcdApiExtensions
{
    /// <summary>Registers the API for <paramref name="member"/>. A replicated store registers its
    /// <see cref="IEtcdClusterView"/> first; otherwise this member is the whole cluster.</summary>
    public static IServiceCollection AddEtcdApi(this IServiceCollection services, EtcdMemberInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        services.AddSingleton(member);
        services.TryAddSingleton<IEtcdClusterView>(new SingleMemberClusterView(member));
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

    /// <summary>
    /// Lets Kestrel accept the requests etcd's Go client sends when it dials one endpoint
    /// directly (etcdctl endpoint status, endpoint hashkv, defrag): their :authority is a whole
    /// URL, which Kestrel would reset. Call it on the etcd API listener, which must be HTTP/2 only.
    /// </summary>
    public static ListenOptions UseEtcdClientCompatibility(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(next => async connection =>
        {
            var original = connection.Transport;
            connection.Transport = new AuthorityFixingTransport(original);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                connection.Transport = original;
            }
        });
        return listenOptions;
    }

    private static void Configure<TService>(GrpcServiceOptions<TService> options)
        where TService : class
    {
        options.MaxReceiveMessageSize = EtcdLimits.MaxReceiveMessageBytes;
        options.Interceptors.Add<DatastoreErrorInterceptor>();
    }
}
