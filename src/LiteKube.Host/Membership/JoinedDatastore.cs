using System.Text.Json;
using System.Text.Json.Nodes;
using LiteKube.Cluster.Membership;
using LiteKube.Datastore.External;
using LiteKube.Host.Tls;

namespace LiteKube.Host.Membership;

/// <summary>
/// <c>&lt;data-dir&gt;/datastore.json</c>: the external etcd of a cluster this server joined
/// (<see cref="DatastoreAccess"/>), with its TLS files under <c>tls/datastore-*</c>. Later
/// starts use it as if <c>--datastore-endpoint</c> and its files had been given; flags given
/// on the command line win.
/// </summary>
internal static class JoinedDatastore
{
    public const string FileName = "datastore.json";

    public static void Save(string dataDirectory, DatastoreAccess access)
    {
        var tls = ClusterCredentials.Directory(dataDirectory);
        Directory.CreateDirectory(tls);
        string? Write(string name, string? pem, bool secret)
        {
            if (pem is null)
            {
                return null;
            }

            var path = Path.Combine(tls, name);
            TlsFiles.Write(path, pem, secret);
            return path;
        }

        var document = new JsonObject
        {
            ["endpoints"] = new JsonArray([.. access.Endpoints.Select(e => (JsonNode)JsonValue.Create(e))]),
            ["caFile"] = Write("datastore-ca.crt", access.CaCertificate, secret: false),
            ["certFile"] = Write("datastore-client.crt", access.ClientCertificate, secret: false),
            ["keyFile"] = Write("datastore-client.key", access.ClientKey, secret: true),
        };
        TlsFiles.Write(Path.Combine(dataDirectory, FileName), document.ToJsonString(), secret: false);
    }

    /// <summary><paramref name="settings"/> with the joined cluster's external etcd, unless the
    /// settings name a datastore endpoint themselves or this data dir joined none.</summary>
    public static ServerSettings Apply(ServerSettings settings)
    {
        var path = Path.Combine(settings.DataDirectory, FileName);
        if (settings.ExternalDatastore is not null || TlsFiles.ReadIfExists(path) is not { } text)
        {
            return settings;
        }

        try
        {
            var document = JsonNode.Parse(text)!.AsObject();
            var endpoints = EtcdEndpoints.Parse(string.Join(',', document["endpoints"]!.AsArray().Select(e => e!.GetValue<string>())));
            return settings with
            {
                ExternalDatastore = new ExternalDatastoreSettings(endpoints,
                    (string?)document["caFile"], (string?)document["certFile"], (string?)document["keyFile"]),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or ExternalStoreSetupException or FormatException)
        {
            throw new ServerStartupException($"reading {path}: the file is damaged ({ServerHost.OneLine(e.Message)}); this node must join anew: empty its --data-dir and run the join again", e);
        }
    }
}
