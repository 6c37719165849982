using System.Net;
using Grpc.Net.Client;
using LiteKube.Datastore.EtcdApi;
using LiteKube.Datastore.Mvcc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

/// <summary>A real Kestrel h2c server on a loopback port (chosen by the OS) serving the etcd API
/// from an in-memory <see cref="LocalStore"/>, and a gRPC channel to it.</summary>
internal sealed class EtcdApiServer : IAsyncDisposable
{
    public static readonly EtcdMemberInfo Member = new(
        MemberId: 0x8e9e05c52164694d,
        ClusterId: 0xcdf818194e3a8c32,
        Name: "node-1",
        PeerUrls: ["https://127.0.0.1:25000"],
        ClientUrls: ["http://127.0.0.1:2379"]);

    private readonly WebApplication app;

    private EtcdApiServer(WebApplication app, LocalStore store, Uri address)
    {
        this.app = app;
        Store = store;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });
    }

    public LocalStore Store { get; }

    /// <summary>http://127.0.0.1:PORT, as etcdctl's --endpoints wants it.</summary>
    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public EtcdPb.KV.KVClient Kv => new(Channel);

    public EtcdPb.Watch.WatchClient Watch => new(Channel);

    public EtcdPb.Lease.LeaseClient Lease => new(Channel);

    public EtcdPb.Cluster.ClusterClient Cluster => new(Channel);

    public EtcdPb.Maintenance.MaintenanceClient Maintenance => new(Channel);

    /// <param name="wrap">Puts something between the etcd API and the real store (e.g. to observe it).</param>
    public static async Task<EtcdApiServer> StartAsync(LocalStoreOptions? options = null, Func<IKeyValueStore, IKeyValueStore>? wrap = null)
    {
        var store = LocalStore.CreateInMemory(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("LITEKUBE_TEST_LOGS") is not null)
        {
            // For debugging a failure: Kestrel and gRPC explain resets and handler errors.
            builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Debug);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseEtcdClientCompatibility();
            }));
        builder.Services.AddSingleton(wrap is null ? store : wrap(store));
        builder.Services.AddSingleton<IDatastoreMaintenance>(store);
        builder.Services.AddEtcdApi(Member);
        var app = builder.Build();
        app.MapEtcdApi();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EtcdApiServer(app, store, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await Store.DisposeAsync();
    }
}
