using System.Net;
using System.Text.Json;
using LiteKube.Host.Tls;

namespace LiteKube.Host.Membership;

/// <summary>
/// <c>&lt;data-dir&gt;/server.json</c>: where the running server's cluster port answers, for
/// the verbs that talk to it (<c>add-node</c>, <c>status</c>, <c>leave</c>, <c>remove-node</c>),
/// which only know the data dir. Written when the server is ready, removed when it stops; a
/// stale one after a crash only makes those verbs report that nothing answers.
/// </summary>
public static class LocalServerFile
{
    public const string FileName = "server.json";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    internal static void Write(ServerSettings settings)
    {
        // A server bound to every address is dialled on loopback from its own machine.
        var address = settings.BindAddress.Equals(IPAddress.Any) ? IPAddress.Loopback
            : settings.BindAddress.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : settings.BindAddress;
        var endpoint = new IPEndPoint(address, settings.ClusterPort).ToString();
        var json = new Dictionary<string, string> { ["clusterAddress"] = endpoint, ["nodeName"] = settings.NodeName, ["pid"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        TlsFiles.Write(PathIn(settings.DataDirectory), JsonSerializer.Serialize(json), secret: false);
    }

    internal static void Delete(ServerSettings settings) => File.Delete(PathIn(settings.DataDirectory));

    /// <summary>The cluster address ("host:port") of the server using <paramref name="dataDirectory"/>,
    /// or null when none runs there.</summary>
    public static string? ReadClusterAddress(string dataDirectory) => Read(dataDirectory, "clusterAddress");

    /// <summary>Whether <paramref name="dataDirectory"/> holds a datastore member (of its own
    /// cluster or one it joined), running or not.</summary>
    public static bool HoldsMember(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, MemberIdentity.FileName));

    /// <summary>The node name of the server using <paramref name="dataDirectory"/>, or null when none runs there.</summary>
    public static string? ReadNodeName(string dataDirectory) => Read(dataDirectory, "nodeName");

    private static string? Read(string dataDirectory, string property)
    {
        var text = TlsFiles.ReadIfExists(PathIn(dataDirectory));
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.GetProperty(property).GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
