namespace LiteKube.Datastore.External;

/// <summary>Parses K3s-style <c>--datastore-endpoint</c> values: a comma-separated list of etcd
/// client URLs such as <c>https://10.0.0.1:2379,https://10.0.0.2:2379</c>.</summary>
public static class EtcdEndpoints
{
    /// <summary>etcd's client port, used when a URL names none.</summary>
    public const int DefaultPort = 2379;

    /// <exception cref="ExternalStoreSetupException">An entry is not an http:// or https:// URL
    /// with a host and nothing but a host and port, or the schemes are mixed.</exception>
    public static IReadOnlyList<Uri> Parse(string value)
    {
        var entries = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
        {
            throw new ExternalStoreSetupException("datastore endpoint: no URL given; expected e.g. https://127.0.0.1:2379");
        }

        var endpoints = new List<Uri>(entries.Length);
        foreach (var entry in entries)
        {
            endpoints.Add(ParseOne(entry));
        }

        // One channel setup (TLS or not) serves every member, as in etcd's clientv3.
        if (endpoints.Select(e => e.Scheme).Distinct().Count() > 1)
        {
            throw new ExternalStoreSetupException($"datastore endpoint: mixes http:// and https:// URLs in '{value}'; use one scheme for every member");
        }

        return endpoints;
    }

    private static Uri ParseOne(string entry)
    {
        if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri) || (uri.Host.Length == 0 && uri.Scheme is "http" or "https"))
        {
            throw new ExternalStoreSetupException($"datastore endpoint: '{entry}' is not a URL; expected e.g. https://127.0.0.1:2379");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ExternalStoreSetupException(
                $"datastore endpoint: '{entry}' has scheme {uri.Scheme}://; an etcd endpoint is http:// or https:// (for kine-style databases use the embedded datastore)");
        }

        if (uri.Host.Length == 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new ExternalStoreSetupException($"datastore endpoint: '{entry}' must be scheme://host:port with no path, query or user");
        }

        // etcd's port, not the scheme's 80/443, when the URL names none (as etcdctl does).
        return new UriBuilder(uri.Scheme, uri.Host, HasExplicitPort(entry) ? uri.Port : DefaultPort).Uri;
    }

    private static bool HasExplicitPort(string entry)
    {
        var authority = entry[(entry.IndexOf("//", StringComparison.Ordinal) + 2)..].TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        return colon >= 0 && colon > authority.LastIndexOf(']');
    }
}
