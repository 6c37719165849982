using System.Globalization;
using k8s.Models;
using LiteKube.ApiServer.Resources;
using P = LiteKube.ApiServer.OpenApi.OperationParameters;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// The paths and operations the API server serves for a resource of the catalog, laid out as
/// upstream's OpenAPI documents lay them out: the collection and item paths (namespaced, and
/// across namespaces for lists), the deprecated <c>/watch/</c> paths, and the subresources.
/// Pure: derived from the <see cref="ResourceDefinition"/> alone.
/// </summary>
internal sealed class ResourceOperations(DefinitionNames names)
{
    /// <summary>What a PATCH accepts; kubectl computes a strategic merge patch only when the
    /// kind's PATCH operation lists that media type.</summary>
    public static IReadOnlyList<string> PatchMediaTypes { get; } =
    [
        "application/apply-patch+yaml",
        "application/json-patch+json",
        "application/merge-patch+json",
        "application/strategic-merge-patch+json",
    ];

    private static readonly string[] ObjectMedia = ["application/json", "application/vnd.kubernetes.protobuf", "application/yaml"];
    private static readonly string[] ListMedia = [.. ObjectMedia, "application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch"];
    private static readonly string[] AnyMedia = ["*/*"];

    public IReadOnlyList<ApiPath> For(ResourceDefinition r)
    {
        var ops = new Builder(r, names);
        var prefix = r.Group == "" ? $"/api/{r.Version}" : $"/apis/{r.Group}/{r.Version}";
        var scope = r.Namespaced ? "/namespaces/{namespace}" : "";
        var collection = $"{prefix}{scope}/{r.Plural}";
        var item = $"{collection}/{{name}}";
        var scopeParameters = r.Namespaced ? new[] { P.Namespace, P.Pretty } : [P.Pretty];
        var itemParameters = r.Namespaced ? new[] { P.Name, P.Namespace, P.Pretty } : [P.Name, P.Pretty];
        var paths = new List<ApiPath>();

        Add(paths, collection, scopeParameters,
            ops.When("list", () => ops.List(r.Namespaced ? "Namespaced" : "", "")),
            ops.When("create", ops.Create),
            ops.When("deletecollection", ops.DeleteCollection));
        Add(paths, item, itemParameters,
            ops.When("get", ops.Read),
            ops.When("update", ops.Replace),
            ops.When("patch", ops.Patch),
            ops.When("delete", ops.Delete));
        if (r.Namespaced)
        {
            Add(paths, $"{prefix}/{r.Plural}", [P.Pretty], ops.When("list", () => ops.List("", "ForAllNamespaces")));
        }

        if (r.Verbs.Contains("watch"))
        {
            Add(paths, $"{prefix}/watch{scope}/{r.Plural}", [.. scopeParameters, .. P.List],
                ops.Watch("watchlist", (r.Namespaced ? "Namespaced" : "") + r.Kind + "List"));
            Add(paths, $"{prefix}/watch{scope}/{r.Plural}/{{name}}", [.. itemParameters, .. P.List],
                ops.Watch("watch", (r.Namespaced ? "Namespaced" : "") + r.Kind));
            if (r.Namespaced)
            {
                Add(paths, $"{prefix}/watch/{r.Plural}", [P.Pretty, .. P.List], ops.Watch("watchlist", r.Kind + "ListForAllNamespaces"));
            }
        }

        foreach (var subresource in r.Subresources)
        {
            Add(paths, $"{item}/{subresource}", itemParameters, [.. ops.Subresource(subresource)]);
        }

        return paths;
    }

    /// <summary>The model types the operations of <paramref name="r"/> refer to.</summary>
    public static IEnumerable<Type> ModelTypes(ResourceDefinition r)
    {
        yield return r.ModelType;
        if (r.Verbs.Contains("list") && ListType(r) is { } list)
        {
            yield return list;
        }

        foreach (var subresource in r.Subresources)
        {
            if (SubresourceKind(r, subresource).Type is { } type)
            {
                yield return type;
            }
        }
    }

    /// <summary>The model types every document refers to (errors, deletes, watches).</summary>
    public static IReadOnlyList<Type> CommonModelTypes { get; } = [typeof(V1Status), typeof(V1DeleteOptions), typeof(V1WatchEvent)];

    private static Type? ListType(ResourceDefinition r) => r.ModelType.Assembly.GetType($"{r.ModelType.FullName}List");

    /// <summary>The kind a subresource reads and writes (null type: a plain string).</summary>
    private static ((string Group, string Version, string Kind) Kind, Type? Type) SubresourceKind(ResourceDefinition r, string subresource) =>
        subresource switch
        {
            "status" or "finalize" or "log" => ((r.Group, r.Version, r.Kind), subresource == "log" ? null : r.ModelType),
            "scale" => (("autoscaling", "v1", "Scale"), typeof(V1Scale)),
            "binding" => (("", "v1", "Binding"), typeof(V1Binding)),
            "eviction" => (("policy", "v1", "Eviction"), typeof(V1Eviction)),
            "token" => (("authentication.k8s.io", "v1", "TokenRequest"), typeof(Authenticationv1TokenRequest)),
            "exec" => (("", "v1", "PodExecOptions"), null),
            _ => throw new NotSupportedException($"OpenAPI: subresource {r.Plural}/{subresource} has no operations defined"),
        };

    private static void Add(List<ApiPath> paths, string path, IReadOnlyList<ApiParameter> parameters, params ApiOperation?[] operations)
    {
        var present = operations.OfType<ApiOperation>().ToList();
        if (present.Count > 0)
        {
            paths.Add(new ApiPath(path, parameters, present));
        }
    }

    /// <summary>Builds the operations of one resource, named as upstream names them
    /// (listCoreV1NamespacedPod, patchAppsV1NamespacedDeploymentScale).</summary>
    private sealed class Builder(ResourceDefinition r, DefinitionNames names)
    {
        private readonly string _id = GroupId(r.Group) + Capitalize(r.Version);
        private readonly string _tag = $"{TagGroup(r.Group)}_{r.Version}";
        private readonly string _scope = r.Namespaced ? "Namespaced" : "";
        private readonly string _object = names.For(r.ModelType);
        private readonly string _status = names.For(typeof(V1Status));

        public ApiOperation? When(string verb, Func<ApiOperation> build) => r.Verbs.Contains(verb) ? build() : null;

        public ApiOperation List(string scope, string suffix) => Operation("get", "list", $"list{_id}{scope}{r.Kind}{suffix}",
            $"list or watch objects of kind {r.Kind}", P.List, null, [(200, "OK", ListType(r) is { } l ? names.For(l) : _object)], ListMedia);

        public ApiOperation Create() => Operation("post", "post", $"create{_id}{_scope}{r.Kind}", $"create a {r.Kind}",
            P.Write, _object, [(200, "OK", _object), (201, "Created", _object), (202, "Accepted", _object)], ObjectMedia);

        public ApiOperation DeleteCollection() => Operation("delete", "deletecollection", $"deleteCollection{_id}{_scope}{r.Kind}",
            $"delete collection of {r.Kind}", P.DeleteCollection, names.For(typeof(V1DeleteOptions)), [(200, "OK", _status)], ObjectMedia);

        public ApiOperation Read() => Operation("get", "get", $"read{_id}{_scope}{r.Kind}", $"read the specified {r.Kind}",
            [], null, [(200, "OK", _object)], ObjectMedia);

        public ApiOperation Replace() => Operation("put", "put", $"replace{_id}{_scope}{r.Kind}", $"replace the specified {r.Kind}",
            P.Write, _object, [(200, "OK", _object), (201, "Created", _object)], ObjectMedia);

        public ApiOperation Patch() => PatchOf("", (r.Group, r.Version, r.Kind), _object);

        public ApiOperation Delete() => Operation("delete", "delete", $"delete{_id}{_scope}{r.Kind}", $"delete a {r.Kind}",
            P.Delete, names.For(typeof(V1DeleteOptions)), [(200, "OK", _status), (202, "Accepted", _status)], ObjectMedia);

        public ApiOperation Watch(string action, string name) => Operation("get", action, $"watch{_id}{name}",
            action == "watch"
                ? $"watch changes to an object of kind {r.Kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter."
                : $"watch individual changes to a list of {r.Kind}. deprecated: use the 'watch' parameter with a list operation instead.",
            [], null, [(200, "OK", names.For(typeof(V1WatchEvent)))], ListMedia);

        public IEnumerable<ApiOperation> Subresource(string subresource)
        {
            var (kind, type) = SubresourceKind(r, subresource);
            var schema = type is null ? null : names.For(type);
            var suffix = Capitalize(subresource);
            switch (subresource)
            {
                case "status" or "scale":
                    yield return Operation("get", "get", $"read{_id}{_scope}{r.Kind}{suffix}", $"read {subresource} of the specified {r.Kind}",
                        [], null, [(200, "OK", schema)], ObjectMedia, kind);
                    yield return Operation("put", "put", $"replace{_id}{_scope}{r.Kind}{suffix}", $"replace {subresource} of the specified {r.Kind}",
                        P.Write, schema, [(200, "OK", schema), (201, "Created", schema)], ObjectMedia, kind);
                    yield return PatchOf(suffix, kind, schema!);
                    break;
                case "finalize":
                    yield return Operation("put", "put", $"replace{_id}{_scope}{r.Kind}{suffix}", $"replace finalize of the specified {r.Kind}",
                        P.Write, schema, [(200, "OK", schema), (201, "Created", schema)], ObjectMedia, kind);
                    break;
                case "binding" or "eviction" or "token":
                    yield return Operation("post", "post", $"create{_id}{_scope}{r.Kind}{suffix}", $"create {subresource} of a {r.Kind}",
                        P.Write, schema, [(200, "OK", schema), (201, "Created", schema), (202, "Accepted", schema)], ObjectMedia, kind);
                    break;
                case "log":
                    yield return Operation("get", "get", $"read{_id}{_scope}{r.Kind}Log", $"read log of the specified {r.Kind}",
                        P.Log, null, [(200, "OK", null)], ["text/plain", "application/json", "application/yaml", "application/vnd.kubernetes.protobuf"], kind);
                    break;
                case "exec":
                    foreach (var method in new[] { "get", "post" })
                    {
                        yield return Operation(method, "connect", $"connect{_id}{Capitalize(method)}{_scope}{r.Kind}Exec",
                            $"connect {method.ToUpperInvariant()} requests to exec of {r.Kind}", P.Exec, null, [(200, "OK", null)], AnyMedia, kind);
                    }

                    break;
            }
        }

        private ApiOperation PatchOf(string suffix, (string, string, string) kind, string schema) => Operation("patch", "patch",
            $"patch{_id}{_scope}{r.Kind}{suffix}", $"partially update {(suffix == "" ? "" : suffix.ToLowerInvariant() + " of ")}the specified {r.Kind}",
            P.Patch, DefinitionNames.Patch, [(200, "OK", schema), (201, "Created", schema)], ObjectMedia, kind) with
        {
            BodyMediaTypes = PatchMediaTypes,
        };

        private ApiOperation Operation(
            string method, string action, string id, string description, IReadOnlyList<ApiParameter> parameters, string? body,
            IReadOnlyList<(int, string, string?)> responses, IReadOnlyList<string> media, (string, string, string)? kind = null) => new()
            {
                Method = method,
                Action = action,
                OperationId = id,
                Description = description,
                Kind = kind ?? (r.Group, r.Version, r.Kind),
                Tag = _tag,
                Parameters = parameters,
                Body = body,
                BodyMediaTypes = body is null ? [] : AnyMedia,
                Responses = responses,
                ResponseMediaTypes = media,
            };

        private static string GroupId(string group) => group == "" ? "Core"
            : string.Concat(group.Replace(".k8s.io", "", StringComparison.Ordinal).Split('.').Select(Capitalize));

        private static string TagGroup(string group)
        {
            var id = GroupId(group);
            return char.ToLowerInvariant(id[0]) + id[1..];
        }

        private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.InvariantCulture) + s[1..];
    }
}
