namespace LiteKube.ApiServer.Resources;

/// <summary>
/// One served resource: how it appears in discovery, where its objects live in the datastore,
/// and the strategy that knows its kind's rules. Built-in kinds are listed in <see cref="ResourceCatalog"/>.
/// </summary>
public sealed record ResourceDefinition
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    /// <summary>The plural resource name in URLs: "pods".</summary>
    public required string Plural { get; init; }
    public required bool Namespaced { get; init; }
    /// <summary>The k8s.Models type of one object.</summary>
    public required Type ModelType { get; init; }
    public string Singular => Kind.ToLowerInvariant();
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> Subresources { get; init; } = [];
    public IReadOnlyList<string> Verbs { get; init; } =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public string GroupVersion => Group == "" ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>How errors name the resource: "pods", "deployments.apps".</summary>
    public string QualifiedName => Group == "" ? Plural : $"{Plural}.{Group}";

    /// <summary>Datastore prefix of every object of this resource (all namespaces).</summary>
    /// <remarks>Plural names are unique across the served groups, except events, which
    /// events.k8s.io/v1 shares with core/v1 on purpose, as upstream does.</remarks>
    public string StoragePrefix => $"/registry/{Plural}/";

    public string StorageKey(string ns, string name) =>
        Namespaced ? $"{StoragePrefix}{ns}/{name}" : $"{StoragePrefix}{name}";

    public string StoragePrefixFor(string ns) =>
        Namespaced && ns != "" ? $"{StoragePrefix}{ns}/" : StoragePrefix;
}
