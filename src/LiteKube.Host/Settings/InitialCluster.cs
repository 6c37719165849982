using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LiteKube.Host.Settings;

/// <summary>
/// A static bootstrap of the embedded datastore (<c>--initial-cluster m1=10.0.0.1:25000,m2=…</c>,
/// as etcd's flag of that name): every founding member is started with the same list and its own
/// <c>--node-name</c>. The member and cluster ids are derived from the list, so that members
/// started separately agree on them without talking first. Used only while the datastore is
/// empty; afterwards the replicated state is the truth (as with etcd).
/// </summary>
public sealed record InitialCluster(IReadOnlyList<InitialClusterMember> Members)
{
    /// <summary>Parses <c>name=host:port[,name=host:port...]</c>; a FormatException names the problem.</summary>
    public static InitialCluster Parse(string text)
    {
        var members = new List<InitialClusterMember>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1)
            {
                throw new FormatException($"'{part}' is not name=host:port");
            }

            var (name, address) = (part[..equals], part[(equals + 1)..]);
            var colon = address.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(address[(colon + 1)..], out var port) || port is < 1 or > 65535 || address.Contains('/'))
            {
                throw new FormatException($"'{address}' (member {name}) is not host:port, e.g. 10.0.0.1:25000");
            }

            if (members.Any(m => m.Name == name))
            {
                throw new FormatException($"member {name} is listed twice");
            }

            if (members.Any(m => m.PeerAddress == address))
            {
                throw new FormatException($"{address} is given to two members");
            }

            members.Add(new InitialClusterMember(name, address));
        }

        return new InitialCluster(members);
    }

    /// <summary>The same for every member given the same list, whatever its order.</summary>
    public ulong ClusterId => Hash("litekube-cluster\n" + string.Join(',', Members.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => $"{m.Name}={m.PeerAddress}")));

    public ulong MemberId(string name) => Hash($"litekube-member\n{ClusterId:x16}\n{name}");

    public InitialClusterMember? Find(string name) => Members.FirstOrDefault(m => m.Name == name);

    // 0 means "none" to Raft and etcd; a hash of 0 is as unlikely as any other value, but possible.
    private static ulong Hash(string text) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text))) is var id and not 0 ? id : 1;
}

public sealed record InitialClusterMember(string Name, string PeerAddress);
