using System.Text;
using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>Byte strings as Latin-1 strings (a bijection), and the short forms reports print.</summary>
public static class KvText
{
    public static string Bytes(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    public static byte[] Raw(string text) => Encoding.Latin1.GetBytes(text);

    public static string Key(byte[] key) => Printable(Bytes(key));

    public static string Key(string key) => Printable(key);

    public static string Range(byte[] key, byte[]? end) =>
        end is null || end.Length == 0 ? Key(key) : $"[{Key(key)}, {(end is [0] ? "end" : Key(end))})";

    public static string Kv(KeyValue kv) =>
        $"{Key(kv.Key)}={Printable(Bytes(kv.Value))} (create {kv.CreateRevision}, mod {kv.ModRevision}, v{kv.Version}{Lease(kv.Lease)})";

    public static string Kv(string key, KeyState state) =>
        $"{Printable(key)}={Printable(state.Value)} (create {state.Create}, mod {state.Mod}, v{state.Version}{Lease(state.Lease)})";

    /// <summary>A watch event: the put's key-value, or the deleted key and its deletion revision.</summary>
    public static string Event(WatchEvent e) =>
        e.Type == WatchEventType.Put ? $"put {Kv(e.Kv)}" : $"delete {Key(e.Kv.Key)} at {e.Kv.ModRevision}";

    public static string Kvs(IEnumerable<KeyValue> kvs)
    {
        var text = string.Join(", ", kvs.Select(Kv));
        return text.Length == 0 ? "nothing" : text;
    }

    private static string Lease(long lease) => lease == 0 ? "" : $", lease {lease}";

    private static string Printable(string text)
    {
        var clean = new string(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return clean.Length <= 40 ? clean : clean[..37] + "...";
    }
}
