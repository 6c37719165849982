using System.Net;
using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Replication.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiteKube.Datastore.Tests.Replication.Transport;

/// <summary>
/// Members as real Kestrel h2c servers, member N on 127.0.0.(N+1) with a port the OS picks (so
/// parallel tests never collide), each with a <see cref="GrpcRaftTransport"/> of one cluster.
/// </summary>
public sealed class GrpcTransportNetwork : ITransportNetworkUnderTest
{
    public const ulong ClusterId = 0x6c6974656b756265;

    private readonly string root = Directory.CreateTempSubdirectory("litekube-grpctransport-").FullName;
    private readonly List<(WebApplication App, GrpcRaftTransport Transport)> members = [];

    public Task<TransportMember> StartAsync(ulong id, IRaftMessageHandler handler, ISnapshotSource snapshots, RaftTransportOptions options) =>
        StartAsync(new GrpcRaftTransportOptions { ClusterId = ClusterId, MemberId = id, Limits = options }, handler, snapshots);

    public async Task<TransportMember> StartAsync(GrpcRaftTransportOptions options, IRaftMessageHandler handler, ISnapshotSource snapshots)
    {
        var directory = Path.Combine(root, $"member-{options.MemberId}");
        var transport = new GrpcRaftTransport(options with { Limits = options.Limits with { SnapshotDirectory = directory } }, snapshots);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("LITEKUBE_TEST_LOGS") is not null)
        {
            builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Debug);
        }
        var ip = IPAddress.Parse($"127.0.0.{options.MemberId % 250 + 1}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(ip, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddRaftTransport(transport);
        var app = builder.Build();
        app.MapRaftTransport();
        await app.StartAsync();
        transport.Start(handler);
        members.Add((app, transport));
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new TransportMember(options.MemberId, $"{url.Host}:{url.Port}", transport, directory);
    }

    /// <summary>Stops member <paramref name="id"/>'s server the way kill -9 does: every connection
    /// is aborted at once, no stream is ended politely.</summary>
    public async Task KillServerAsync(ulong id)
    {
        var (app, _) = members.Single(m => m.Transport.Options.MemberId == id);
        await app.StopAsync(new CancellationToken(canceled: true));
    }

    /// <summary>Port 1 on loopback: privileged and unused, so connecting is refused at once.</summary>
    public string UnusedAddress() => "127.0.0.1:1";

    public async ValueTask DisposeAsync()
    {
        foreach (var (app, transport) in members)
        {
            await transport.DisposeAsync();
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Directory.Delete(root, recursive: true);
    }
}

/// <summary>The transport contract over gRPC between real servers on loopback.</summary>
public sealed class GrpcRaftTransportContractTests : RaftTransportContract<GrpcTransportNetwork>;
