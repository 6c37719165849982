using System.Reflection;
using System.Text.RegularExpressions;
using k8s.Models;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// Upstream's OpenAPI definition names for k8s.Models types (<c>V1Pod</c> ->
/// <c>io.k8s.api.core.v1.Pod</c>, <c>V1ObjectMeta</c> ->
/// <c>io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta</c>), so that documents read like the
/// real API server's and clients that key on names (kubectl explain) find them.
/// </summary>
/// <remarks>
/// The C# models keep the version and kind of each definition in their names (V1, V2, V1beta1;
/// a group prefix only where two groups share a kind: Corev1Event) but lose the Go package. A
/// kind's package follows from its group; every other type takes the package of the first kind
/// that reaches it, walking the roots in order (core first), except the apimachinery types and
/// the few types that live in another group's package, which are listed here.
/// </remarks>
public sealed partial class DefinitionNames
{
    public const string Time = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
    public const string MicroTime = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
    public const string FieldsV1 = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1";
    public const string Patch = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
    public const string RawExtension = "io.k8s.apimachinery.pkg.runtime.RawExtension";
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

    private const string Meta = "apimachinery.pkg.apis.meta";

    // Types whose package is not that of the kind that first reaches them.
    private static readonly Dictionary<Type, string> PackageOverrides = new()
    {
        [typeof(V1ObjectMeta)] = Meta,
        [typeof(V1ListMeta)] = Meta,
        [typeof(V1LabelSelector)] = Meta,
        [typeof(V1LabelSelectorRequirement)] = Meta,
        [typeof(V1OwnerReference)] = Meta,
        [typeof(V1ManagedFieldsEntry)] = Meta,
        [typeof(V1Condition)] = Meta,
        [typeof(V1Status)] = Meta,
        [typeof(V1StatusDetails)] = Meta,
        [typeof(V1StatusCause)] = Meta,
        [typeof(V1DeleteOptions)] = Meta,
        [typeof(V1Preconditions)] = Meta,
        [typeof(V1WatchEvent)] = Meta,
        [typeof(V1APIResource)] = Meta,
        [typeof(V1APIResourceList)] = Meta,
        [typeof(V1APIGroup)] = Meta,
        [typeof(V1APIGroupList)] = Meta,
        [typeof(V1APIVersions)] = Meta,
        [typeof(V1GroupVersionForDiscovery)] = Meta,
        [typeof(V1ServerAddressByClientCIDR)] = Meta,
        [typeof(V1FieldSelectorRequirement)] = Meta,
        [typeof(V1Patch)] = Meta,
        // batch/v1 JobSpec.scheduling embeds the alpha workload-scheduling types of scheduling.k8s.io.
        [typeof(V1alpha3WorkloadPodGroupDisruptionMode)] = "scheduling",
        [typeof(V1alpha3WorkloadPodGroupResourceClaim)] = "scheduling",
        [typeof(V1alpha3WorkloadPodGroupSchedulingConstraints)] = "scheduling",
        [typeof(V1alpha3WorkloadPodGroupSchedulingPolicy)] = "scheduling",
        [typeof(V1alpha3WorkloadPodGroupGangSchedulingPolicy)] = "scheduling",
        [typeof(V1alpha3TopologyConstraint)] = "scheduling",
    };

    private readonly Dictionary<Type, string> _packages = new();
    private readonly Dictionary<Type, string> _names = new();

    /// <summary>Resolves the names of every model type reachable from <paramref name="roots"/>.
    /// The order matters only for types shared between groups: pass core kinds first.</summary>
    public DefinitionNames(IEnumerable<Type> roots)
    {
        foreach (var root in roots)
        {
            Visit(root);
        }
    }

    /// <summary>The definition name of a model type reachable from the roots.</summary>
    /// <exception cref="ArgumentException">The type was not reachable from the roots.</exception>
    public string For(Type type)
    {
        if (type == typeof(IntOrString))
        {
            return IntOrString;
        }

        if (type == typeof(ResourceQuantity))
        {
            return Quantity;
        }

        return _names.TryGetValue(type, out var name) ? name
            : throw new ArgumentException($"{type.Name} is not reachable from the OpenAPI roots", nameof(type));
    }

    /// <summary>Every model type with a name, with its name.</summary>
    public IReadOnlyDictionary<Type, string> All => _names;

    /// <summary>Whether <paramref name="type"/> is a k8s.Models class that gets a definition of
    /// its own (not one of the scalar-like special types).</summary>
    public static bool IsModel(Type type) =>
        type.IsClass && type.Namespace == "k8s.Models" && type != typeof(IntOrString) && type != typeof(ResourceQuantity);

    private void Visit(Type root)
    {
        var pending = new Queue<(Type Type, string? Context)>();
        pending.Enqueue((root, null));
        while (pending.TryDequeue(out var item))
        {
            var (type, context) = item;
            if (_packages.ContainsKey(type))
            {
                continue;
            }

            var package = OwnPackage(type) ?? context
                ?? throw new InvalidOperationException($"{type.Name} has no group of its own and was reached from no kind");
            _packages[type] = package;
            _names[type] = Name(type, package);
            foreach (var child in ModelTypesOf(type))
            {
                pending.Enqueue((child, package));
            }
        }
    }

    /// <summary>The model types a type's properties refer to, through lists and maps.</summary>
    internal static IEnumerable<Type> ModelTypesOf(Type type) =>
        ModelProperties.Of(type).Select(p => ModelProperties.ElementType(p.Property.PropertyType)).Where(IsModel);

    private static string? OwnPackage(Type type)
    {
        if (PackageOverrides.TryGetValue(type, out var package))
        {
            return package;
        }

        var parsed = ParseName(type);
        if (parsed.Package is not null)
        {
            return parsed.Package.ToLowerInvariant();
        }

        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>();
        return entity is null ? null : entity.Group == "" ? "core" : entity.Group.Split('.')[0];
    }

    private static string Name(Type type, string package)
    {
        var (_, version, kind) = ParseName(type);
        var prefix = package == Meta ? "io.k8s." + Meta : "io.k8s.api." + package;
        return $"{prefix}.{version}.{kind}";
    }

    private static (string? Package, string Version, string Kind) ParseName(Type type)
    {
        var match = ModelName().Match(type.Name);
        if (!match.Success)
        {
            throw new InvalidOperationException($"{type.Name} does not follow the k8s.Models naming (V1Kind, Groupv1Kind)");
        }

        var package = match.Groups["package"].Success ? match.Groups["package"].Value : null;
        return (package, match.Groups["version"].Value.ToLowerInvariant(), match.Groups["kind"].Value);
    }

    [GeneratedRegex("^(?:(?<package>[A-Z][a-z]+)(?=v[0-9]))?(?<version>[Vv][0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<kind>[A-Z][A-Za-z0-9]*)$")]
    private static partial Regex ModelName();
}
