using System.Text;
using LiteKube.ApiServer.Security.ServiceAccounts;
using LiteKube.Cluster.Pki;
using LiteKube.Datastore;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host.Tls;

/// <summary>
/// Servers that share an external datastore share the cluster's keys through it, as K3s does with
/// its bootstrap data (seed 001): the first server started with <c>--token</c> stores the CA and
/// the service-account signing key there, sealed with the token; every further server started
/// with the same endpoint and token takes them before it issues its own certificates. Runs before
/// <see cref="ClusterCredentials.LoadOrCreate"/>, which then finds the keys in <c>tls/</c>.
/// </summary>
/// <remarks>Of two servers starting at once with empty data dirs, one stores its keys (a create-only
/// transaction) and the other takes them. A server whose own keys differ from the stored ones
/// refuses to start: it would sign certificates nobody else trusts.</remarks>
internal static partial class SharedClusterKeys
{
    /// <summary>Outside <c>/registry/</c>, next to <see cref="ClusterAuthorityRecord.Key"/>.</summary>
    public static readonly byte[] Key = "/litekube/cluster/keys"u8.ToArray();

    private const string CaCertificateFile = "ca.crt";
    private const string CaKeyFile = "ca.key";
    private const string ServiceAccountKeyFile = "service-account.key";

    public static async Task ShareAsync(IKeyValueStore store, ServerSettings settings, string token, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var directory = ClusterCredentials.Directory(settings.DataDirectory);
        var local = ReadLocal(directory);
        var stored = await ReadStoredAsync(store, token, cancellationToken);
        if (stored is null)
        {
            var mine = local ?? Create(time.GetUtcNow());
            var result = await store.TxnAsync(new TxnRequest(
                [new Compare(Key, CompareTarget.Create, CompareResult.Equal) { Number = 0 }],
                [new TxnPutOp(new PutRequest(Key, SharedKeysCipher.Seal(mine, token)))],
                [new TxnRangeOp(new RangeRequest(Key))]), cancellationToken);
            if (result.Succeeded)
            {
                if (local is null)
                {
                    Install(directory, mine);
                }

                LogStored(logger);
                return;
            }

            // Another server stored its keys first: take those.
            var raced = ((RangeResult)result.Responses[0]).Kvs.Single().Value;
            stored = Open(raced, token);
        }

        if (local is null)
        {
            Install(directory, stored);
            LogTaken(logger, directory);
        }
        else if (!SameAuthority(local, stored))
        {
            throw new ServerStartupException(
                $"{Path.Combine(directory, CaCertificateFile)} is not the CA stored in the external datastore by the cluster's first server; start this server with an empty --data-dir to take the cluster's keys, or point it at its own datastore");
        }
    }

    private static async Task<SharedKeys?> ReadStoredAsync(IKeyValueStore store, string token, CancellationToken cancellationToken)
    {
        var range = await store.RangeAsync(new RangeRequest(Key), cancellationToken);
        return range.Kvs.SingleOrDefault() is { } kv ? Open(kv.Value, token) : null;
    }

    private static SharedKeys Open(byte[] record, string token)
    {
        SharedKeys? keys;
        try
        {
            keys = SharedKeysCipher.Open(record, token);
        }
        catch (FormatException e)
        {
            throw new ServerStartupException($"the cluster keys in the external datastore ({Encoding.UTF8.GetString(Key)}) are damaged: {e.Message}", e);
        }

        return keys ?? throw new ServerStartupException(
            "--token does not open the cluster keys in the external datastore: give this server the token the cluster's first server was started with");
    }

    /// <summary>The three files when all are there; null when none is (a fresh data dir). A data
    /// dir with some of them is left for <see cref="ClusterCredentials"/> to report.</summary>
    private static SharedKeys? ReadLocal(string directory)
    {
        var certificate = TlsFiles.ReadIfExists(Path.Combine(directory, CaCertificateFile));
        var key = TlsFiles.ReadIfExists(Path.Combine(directory, CaKeyFile));
        var serviceAccount = TlsFiles.ReadIfExists(Path.Combine(directory, ServiceAccountKeyFile));
        if (certificate is null && key is null && serviceAccount is null)
        {
            return null;
        }

        if (certificate is null || key is null || serviceAccount is null)
        {
            var missing = certificate is null ? CaCertificateFile : key is null ? CaKeyFile : ServiceAccountKeyFile;
            throw new ServerStartupException(
                $"{Path.Combine(directory, missing)} is missing but the other cluster keys are present; restore it, or empty {directory} to take the cluster's keys from the external datastore");
        }

        return new SharedKeys(certificate, key, serviceAccount);
    }

    private static SharedKeys Create(DateTimeOffset now)
    {
        using var authority = CertificateAuthority.Create("litekube-ca", now);
        using var serviceAccount = ServiceAccountSigningKey.Create();
        return new SharedKeys(authority.CertificatePem, authority.KeyPem, serviceAccount.ToPem());
    }

    /// <summary>Writes the cluster's keys into <paramref name="directory"/> (<c>tls/</c>), where
    /// <see cref="ClusterCredentials"/> finds them: keys first, certificate last, as it creates them.
    /// Also what a join stores.</summary>
    public static void Install(string directory, SharedKeys keys)
    {
        Directory.CreateDirectory(directory);
        TlsFiles.Write(Path.Combine(directory, ServiceAccountKeyFile), keys.ServiceAccountKey, secret: true);
        TlsFiles.Write(Path.Combine(directory, CaKeyFile), keys.CaKey, secret: true);
        TlsFiles.Write(Path.Combine(directory, CaCertificateFile), keys.CaCertificate, secret: false);
    }

    private static bool SameAuthority(SharedKeys a, SharedKeys b) =>
        a.CaCertificate.Trim() == b.CaCertificate.Trim() && a.ServiceAccountKey.Trim() == b.ServiceAccountKey.Trim();

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "stored the cluster keys in the external datastore, sealed with --token")]
    private static partial void LogStored(ILogger logger);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "took the cluster keys from the external datastore into {Directory}")]
    private static partial void LogTaken(ILogger logger, string directory);
}
