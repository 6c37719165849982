using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiteKube.Cluster.Pki;

/// <summary>The cluster's keys as servers sharing an external datastore exchange them: the CA
/// certificate and key and the service-account signing key.</summary>
public sealed record SharedKeys(string CaCertificate, string CaKey, string ServiceAccountKey);

/// <summary>
/// Seals <see cref="SharedKeys"/> with the cluster token (<c>--token</c>) for storage in an
/// external datastore, as K3s does with its bootstrap data: whoever can read the datastore
/// still needs the token to learn the keys. AES-256-GCM under a key derived from the token with
/// PBKDF2-SHA256 (600,000 iterations, random salt), so a guessed token costs real work to test.
/// </summary>
public static class SharedKeysCipher
{
    private const int Iterations = 600_000;

    public static byte[] Seal(SharedKeys keys, string token)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var plain = JsonSerializer.SerializeToUtf8Bytes(keys, SharedKeysJson.Default.SharedKeys);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(DeriveKey(token, salt), tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag);
        }

        return JsonSerializer.SerializeToUtf8Bytes(new SealedKeys(1, salt, nonce, cipher, tag), SharedKeysJson.Default.SealedKeys);
    }

    /// <summary>The keys, or null when <paramref name="token"/> is not the one they were sealed
    /// with (or the record was altered). A record that is not a sealed-keys record at all throws
    /// a <see cref="FormatException"/>.</summary>
    public static SharedKeys? Open(byte[] sealedRecord, string token)
    {
        SealedKeys? record;
        try
        {
            record = JsonSerializer.Deserialize(sealedRecord, SharedKeysJson.Default.SealedKeys);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the stored cluster keys are not readable: {e.Message}", e);
        }

        if (record is not { Version: 1 } || record.Salt is null || record.Nonce is null || record.Cipher is null || record.Tag is null)
        {
            throw new FormatException("the stored cluster keys are not a version 1 record");
        }

        var plain = new byte[record.Cipher.Length];
        try
        {
            using var aes = new AesGcm(DeriveKey(token, record.Salt), record.Tag.Length);
            aes.Decrypt(record.Nonce, record.Cipher, record.Tag, plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return JsonSerializer.Deserialize(plain, SharedKeysJson.Default.SharedKeys);
    }

    private static byte[] DeriveKey(string token, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(token), salt, Iterations, HashAlgorithmName.SHA256, 32);
}

internal sealed record SealedKeys(int Version, byte[] Salt, byte[] Nonce, byte[] Cipher, byte[] Tag);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SharedKeys))]
[JsonSerializable(typeof(SealedKeys))]
internal sealed partial class SharedKeysJson : JsonSerializerContext;
