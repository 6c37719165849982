using System.Security.Cryptography;
using System.Text;

namespace LiteKube.Cluster.Membership;

/// <summary>Join secrets: 128 random bits as 32 hex digits. Only their SHA-256 is ever stored,
/// so a copy of the datastore cannot be used to join.</summary>
public static class JoinToken
{
    public static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(JoinString.TokenHexDigits / 2));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token.ToLowerInvariant())));

    /// <summary>Compares hashes in constant time, so timing does not reveal how much matched.</summary>
    public static bool HashMatches(string storedHash, string presentedToken) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedHash), Encoding.ASCII.GetBytes(Hash(presentedToken)));
}
