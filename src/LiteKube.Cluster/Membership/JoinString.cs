using System.Globalization;
using System.Net;

namespace LiteKube.Cluster.Membership;

/// <summary>
/// What `litekube add-node` prints and `litekube join` takes: <c>HOST:PORT/TOKEN/CAHASH</c>.
/// TOKEN is the one-time secret (32 hex digits, 128 bits); CAHASH pins the cluster CA: the first
/// 32 hex digits (128 bits) of the SHA-256 of its public key info, or all 64. MicroK8s prints 12
/// digits; 48 bits is within reach of a determined attacker, so LiteKube pins more.
/// </summary>
public sealed record JoinString(string Host, int Port, string Token, string CaHash)
{
    public const int TokenHexDigits = 32;
    public const int ShortCaHashHexDigits = 32;

    /// <summary>Parses <paramref name="text"/>; a <see cref="FormatException"/> says in one line what is wrong.</summary>
    public static JoinString Parse(string text)
    {
        var trimmed = text.Trim();
        var parts = trimmed.Split('/');
        if (parts.Length != 3)
        {
            throw new FormatException($"join string \"{trimmed}\" is not HOST:PORT/TOKEN/CAHASH (as printed by `litekube add-node`)");
        }

        var (host, port) = ParseAddress(parts[0]);
        var token = parts[1].ToLowerInvariant();
        if (token.Length != TokenHexDigits || !IsHex(token))
        {
            throw new FormatException($"the token in the join string must be {TokenHexDigits} hex digits, not \"{parts[1]}\"");
        }

        var caHash = parts[2].ToLowerInvariant();
        if ((caHash.Length != ShortCaHashHexDigits && caHash.Length != 64) || !IsHex(caHash))
        {
            throw new FormatException($"the CA hash in the join string must be {ShortCaHashHexDigits} or 64 hex digits, not \"{parts[2]}\"");
        }

        return new JoinString(host, port, token, caHash);
    }

    /// <summary>The join string for one address of a server.</summary>
    public static JoinString For(string host, int port, string token, string caPinHash) =>
        new(host, port, token, caPinHash[..ShortCaHashHexDigits]);

    /// <summary>Whether a CA with <paramref name="pinHash"/> (64 hex digits) is the pinned one.</summary>
    public bool Pins(string pinHash) => pinHash.StartsWith(CaHash, StringComparison.OrdinalIgnoreCase);

    public override string ToString()
    {
        var host = IPAddress.TryParse(Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Host}]" : Host;
        return string.Create(CultureInfo.InvariantCulture, $"{host}:{Port}/{Token}/{CaHash}");
    }

    /// <summary>Parses HOST:PORT or [IPV6]:PORT; a <see cref="FormatException"/> says what is wrong.</summary>
    public static (string Host, int Port) ParseAddress(string address)
    {
        string host;
        string port;
        if (address.StartsWith('['))
        {
            var end = address.IndexOf(']', StringComparison.Ordinal);
            if (end < 0 || end + 1 >= address.Length || address[end + 1] != ':')
            {
                throw new FormatException($"\"{address}\" is not [IPV6]:PORT");
            }

            host = address[1..end];
            port = address[(end + 2)..];
            if (!IPAddress.TryParse(host, out _))
            {
                throw new FormatException($"\"{host}\" is not an IPv6 address");
            }
        }
        else
        {
            var colon = address.LastIndexOf(':');
            if (colon <= 0)
            {
                throw new FormatException($"\"{address}\" needs a port: HOST:PORT, e.g. 10.0.0.1:25000");
            }

            host = address[..colon];
            port = address[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                throw new FormatException($"\"{address}\": write an IPv6 address in brackets, [ADDRESS]:PORT");
            }

            if (Uri.CheckHostName(host) is UriHostNameType.Unknown or UriHostNameType.Basic)
            {
                throw new FormatException($"\"{host}\" is not a host name or IP address");
            }
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new FormatException($"\"{port}\" is not a port number (1-65535)");
        }

        return (host, number);
    }

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigitLower);
}
