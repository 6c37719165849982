using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace LiteKube.Host;

/// <summary>The etcd member id and cluster id of this node. They are random 64-bit numbers made
/// on first start (or derived from <c>--initial-cluster</c>) and kept in
/// <c>&lt;data-dir&gt;/member.json</c>, because etcd clients and Raft peers identify a member by
/// id: it must not change across restarts.</summary>
internal sealed record MemberIdentity(ulong MemberId, ulong ClusterId)
{
    public const string FileName = "member.json";

    /// <summary>The stored ids, or new ones: <paramref name="derived"/> when given (a static
    /// bootstrap, where every founder computes the same ids), else random.</summary>
    public static MemberIdentity LoadOrCreate(string dataDirectory, MemberIdentity? derived = null)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return Load(path);
        }
        var identity = derived ?? new MemberIdentity(RandomId(), RandomId());
        identity.Save(path);
        return identity;
    }

    private static MemberIdentity Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return new MemberIdentity(ParseHex(root.GetProperty("member-id")), ParseHex(root.GetProperty("cluster-id")));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ServerStartupException(
                $"reading member identity {path}: the file is damaged ({e.Message.ReplaceLineEndings(" ")}); restore it from a backup, or delete it to give this member new ids", e);
        }
    }

    private void Save(string path)
    {
        // Written to a temporary file and renamed, so a crash never leaves a half-written file.
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("member-id", MemberId.ToString("x16", CultureInfo.InvariantCulture));
                writer.WriteString("cluster-id", ClusterId.ToString("x16", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static ulong ParseHex(JsonElement element) =>
        ulong.Parse(element.GetString() ?? throw new FormatException("id is null"), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) is var id and not 0
            ? id
            : throw new FormatException("id is 0");

    private static ulong RandomId()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BitConverter.ToUInt64(bytes);
        }
        while (id == 0); // etcd treats member id 0 as "none"
        return id;
    }
}
