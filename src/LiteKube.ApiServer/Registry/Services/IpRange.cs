using System.Net;
using System.Net.Sockets;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>
/// The allocatable addresses of a service CIDR, as upstream's ipallocator counts them: every
/// address but the network address (and, for IPv4, the broadcast address), capped at 2^20
/// so that a huge IPv6 range stays a small number. Offsets count from the network address:
/// offset 1 is the first usable address. Pure.
/// </summary>
public sealed class IpRange
{
    private const int MaxSize = 1 << 20;

    private readonly UInt128 _base;

    public IpRange(IPNetwork cidr)
    {
        Cidr = cidr;
        Family = cidr.BaseAddress.AddressFamily;
        _base = ToNumber(cidr.BaseAddress);
        var hostBits = (Family == AddressFamily.InterNetwork ? 32 : 128) - cidr.PrefixLength;
        var addresses = hostBits >= 21 ? (UInt128)MaxSize + 2 : (UInt128)1 << hostBits;
        // Without the network address, and for IPv4 the broadcast address.
        var size = addresses - (Family == AddressFamily.InterNetwork ? 2u : 1u);
        Size = (int)UInt128.Min(size, MaxSize);
        if (Size < 1)
        {
            throw new ArgumentException($"the service CIDR {cidr} has no usable address", nameof(cidr));
        }
    }

    public IPNetwork Cidr { get; }

    public AddressFamily Family { get; }

    /// <summary>"IPv4" or "IPv6", as Service.spec.ipFamilies names it.</summary>
    public string FamilyName => Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    /// <summary>Usable addresses: offsets 1..Size.</summary>
    public int Size { get; }

    public IPAddress First => At(1);

    /// <summary>Upstream's static band (KEP-3070): the low offsets that dynamic allocation uses
    /// only when the rest is full, so that requested addresses there rarely collide.</summary>
    public int StaticBand => Math.Min(Math.Max(16, Size / 16), 256);

    public IPAddress At(int offset)
    {
        var number = _base + (UInt128)offset;
        var bytes = new byte[Family == AddressFamily.InterNetwork ? 4 : 16];
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(number & 0xFF);
            number >>= 8;
        }

        return new IPAddress(bytes);
    }

    /// <summary>The offset of <paramref name="address"/>, or null when it is not allocatable here.</summary>
    public int? OffsetOf(IPAddress address)
    {
        if (address.AddressFamily != Family || !Cidr.Contains(address))
        {
            return null;
        }

        var offset = ToNumber(address) - _base;
        return offset >= 1 && offset <= (UInt128)Size ? (int)offset : null;
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        UInt128 number = 0;
        foreach (var b in address.GetAddressBytes())
        {
            number = (number << 8) | b;
        }

        return number;
    }
}
