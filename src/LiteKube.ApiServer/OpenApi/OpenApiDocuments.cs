using System.Collections.Frozen;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// The OpenAPI documents of the served API, generated from the <see cref="ResourceCatalog"/>
/// and the k8s.Models types. They cannot change while the process runs, so each is generated
/// once, on first request (never at start: most processes never serve one), and kept as
/// serialized bytes with its hash. Thread-safe.
/// </summary>
public sealed class OpenApiDocuments
{
    private readonly Lazy<FrozenDictionary<string, SerializedDocument>> _v3;
    private readonly Lazy<SerializedDocument> _v3Root;
    private readonly Lazy<(SerializedDocument Json, SerializedDocument Protobuf)> _v2;

    public OpenApiDocuments(ResourceCatalog catalog)
        : this(catalog, ModelDocumentation.Embedded)
    {
    }

    internal OpenApiDocuments(ResourceCatalog catalog, ModelDocumentation docs)
    {
        var model = new Lazy<Model>(() => new Model(catalog, docs));
        _v3 = new Lazy<FrozenDictionary<string, SerializedDocument>>(() => model.Value.V3Documents());
        _v3Root = new Lazy<SerializedDocument>(() => CanonicalJson.Serialize(Root(_v3.Value)));
        _v2 = new Lazy<(SerializedDocument, SerializedDocument)>(() => model.Value.V2Documents());
    }

    /// <summary><c>/openapi/v3</c>: each group version's path with its hashed URL.</summary>
    public SerializedDocument V3Root => _v3Root.Value;

    /// <summary>The OpenAPI 3.0 document of a group version, by its path in the root
    /// ("api/v1", "apis/apps/v1"), or null when no such group version is served.</summary>
    public SerializedDocument? V3(string groupVersionPath) => _v3.Value.GetValueOrDefault(groupVersionPath);

    /// <summary><c>/openapi/v2</c>: the whole API as one Swagger 2.0 document, in JSON.</summary>
    public SerializedDocument V2 => _v2.Value.Json;

    /// <summary>The same Swagger 2.0 document as gnostic's <c>openapi.v2.Document</c> protobuf,
    /// which is what client-go asks for.</summary>
    public SerializedDocument V2Protobuf => _v2.Value.Protobuf;

    /// <summary>The path of a group version in the v3 root: "api/v1", "apis/apps/v1".</summary>
    public static string GroupVersionPath(string group, string version) => group == "" ? $"api/{version}" : $"apis/{group}/{version}";

    /// <summary>The URL under which the root lists a group version's document.</summary>
    public static string ServerRelativeUrl(string groupVersionPath, string hash) => $"/openapi/v3/{groupVersionPath}?hash={hash}";

    private static JsonObject Root(IReadOnlyDictionary<string, SerializedDocument> documents)
    {
        var paths = new JsonObject();
        foreach (var (path, document) in documents)
        {
            paths[path] = new JsonObject { ["serverRelativeURL"] = ServerRelativeUrl(path, document.Hash) };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>What every document is generated from: the catalog and the definition names.</summary>
    private sealed class Model
    {
        private readonly ResourceCatalog _catalog;
        private readonly ModelDocumentation _docs;
        private readonly DefinitionNames _names;
        private readonly ResourceOperations _operations;

        public Model(ResourceCatalog catalog, ModelDocumentation docs)
        {
            _catalog = catalog;
            _docs = docs;
            // Core kinds come first in the catalog, so types shared with other groups get core names.
            _names = new DefinitionNames(catalog.Resources.SelectMany(ResourceOperations.ModelTypes).Concat(ResourceOperations.CommonModelTypes));
            _operations = new ResourceOperations(_names);
        }

        public FrozenDictionary<string, SerializedDocument> V3Documents()
        {
            var generator = Generator(OpenApiDialect.OpenApiV3);
            var documents = new Dictionary<string, SerializedDocument>();
            foreach (var (group, version) in _catalog.GroupVersions())
            {
                var resources = _catalog.Resources.Where(r => r.Group == group && r.Version == version).ToList();
                var schemas = generator.Definitions(Types(resources), [DefinitionNames.Patch]);
                var document = OpenApiV3Writer.Document(resources.SelectMany(_operations.For), schemas, generator);
                documents[GroupVersionPath(group, version)] = CanonicalJson.Serialize(document);
            }

            return documents.ToFrozenDictionary();
        }

        public (SerializedDocument Json, SerializedDocument Protobuf) V2Documents()
        {
            var generator = Generator(OpenApiDialect.SwaggerV2);
            var definitions = generator.Definitions(Types(_catalog.Resources), [DefinitionNames.Patch]);
            var document = CanonicalJson.Sorted(SwaggerV2Writer.Document(_catalog.Resources.SelectMany(_operations.For), definitions, generator));
            return (CanonicalJson.Serialize(document), SerializedDocument.Of(SwaggerV2Protobuf.Encode(document)));
        }

        private SchemaGenerator Generator(OpenApiDialect dialect) => new(_names, _docs, dialect, _catalog.GroupVersions());

        private static IEnumerable<Type> Types(IEnumerable<ResourceDefinition> resources) =>
            resources.SelectMany(ResourceOperations.ModelTypes).Concat(ResourceOperations.CommonModelTypes);
    }
}
