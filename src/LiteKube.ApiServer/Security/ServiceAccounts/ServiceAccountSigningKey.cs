using System.Buffers.Text;
using System.Security.Cryptography;

namespace LiteKube.ApiServer.Security.ServiceAccounts;

/// <summary>
/// The cluster's key for service-account tokens: ECDSA P-256 (JWT alg ES256). Every API
/// server of a cluster must hold the same key, or a token issued by one is refused by another.
/// The key id is upstream's: base64url of the SHA-256 of the public key's DER encoding.
/// </summary>
public sealed class ServiceAccountSigningKey : IDisposable
{
    private ServiceAccountSigningKey(ECDsa key)
    {
        Key = key;
        KeyId = Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    public ECDsa Key { get; }

    public string KeyId { get; }

    public static ServiceAccountSigningKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static ServiceAccountSigningKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new CryptographicException($"the service-account key must be ECDSA P-256, not a {key.KeySize}-bit key");
        }

        return new ServiceAccountSigningKey(key);
    }

    /// <summary>Reads the PEM key at <paramref name="path"/>, or creates one there (mode 0600)
    /// on a server's first start.</summary>
    public static ServiceAccountSigningKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return FromPem(File.ReadAllText(path));
        }

        var created = Create();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(created.ToPem());
        }

        // Rename last, so a crash never leaves a half-written key that the next start trusts.
        File.Move(temporary, path, overwrite: false);
        return created;
    }

    public string ToPem() => Key.ExportPkcs8PrivateKeyPem();

    public void Dispose() => Key.Dispose();
}
