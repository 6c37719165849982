using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Admission;

/// <summary>
/// The pure parts of upstream's ServiceAccount admission plugin
/// (plugin/pkg/admission/serviceaccount): which pods get the token, the projected
/// <c>kube-api-access-*</c> volume and its mounts, the mirror-pod and mountable-secrets
/// refusals. The lookup of the ServiceAccount is <see cref="PodServiceAccountAdmission"/>'s.
/// </summary>
public static class PodServiceAccountRules
{
    public const string DefaultServiceAccount = "default";
    public const string TokenVolumePrefix = "kube-api-access-";
    public const string TokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string MirrorPodAnnotation = "kubernetes.io/config.mirror";
    public const string EnforceMountableSecretsAnnotation = "kubernetes.io/enforce-mountable-secrets";

    /// <summary>Upstream's WarnOnlyBoundTokenExpirationSeconds: one hour and seven seconds, so
    /// that a token the kubelet failed to refresh is recognisable in the audit log.</summary>
    public const long TokenExpirationSeconds = 3607;

    /// <summary>The pod's automountServiceAccountToken wins, then the ServiceAccount's; default true.</summary>
    public static bool ShouldAutomount(JsonObject podSpec, JsonObject serviceAccount) =>
        Bool(podSpec["automountServiceAccountToken"]) ?? Bool(serviceAccount["automountServiceAccountToken"]) ?? true;

    /// <summary>
    /// Mounts the token read-only at <see cref="TokenMountPath"/> in every container and init
    /// container that has nothing mounted there, and adds the projected volume if one of them
    /// needed it, named <c>kube-api-access-</c> plus <paramref name="suffix"/>(). As upstream
    /// does, a volume the pod already has whose name starts with <c>kube-api-access-</c> (a pod
    /// copied from another's yaml) is taken to be the token volume and mounted as it is, so the
    /// generated name can never collide with one of the pod's.
    /// </summary>
    public static void MountToken(JsonObject podSpec, Func<string> suffix)
    {
        var volumes = podSpec["volumes"] as JsonArray;
        var existing = (volumes ?? []).Select(v => v?["name"]?.ToString() ?? "").FirstOrDefault(n => n.StartsWith(TokenVolumePrefix, StringComparison.Ordinal));
        var volumeName = existing ?? TokenVolumePrefix + suffix();

        var mounted = false;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in (podSpec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (container["volumeMounts"] is not JsonArray mounts)
                {
                    mounts = [];
                    container["volumeMounts"] = mounts;
                }

                if (mounts.Any(m => m?["mountPath"]?.ToString() == TokenMountPath))
                {
                    continue;
                }

                mounts.Add(new JsonObject { ["name"] = volumeName, ["readOnly"] = true, ["mountPath"] = TokenMountPath });
                mounted = true;
            }
        }

        if (mounted && existing is null)
        {
            if (volumes is null)
            {
                volumes = [];
                podSpec["volumes"] = volumes;
            }

            volumes.Add(new JsonObject { ["name"] = volumeName, ["projected"] = TokenVolumeSource() });
        }
    }

    /// <summary>Upstream's TokenVolumeSource: a bound token, the cluster CA from the namespace's
    /// kube-root-ca.crt, and the namespace; mode 0644 written out (upstream sets it explicitly).</summary>
    public static JsonObject TokenVolumeSource() => new()
    {
        ["defaultMode"] = 420,
        ["sources"] = new JsonArray(
            new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = TokenExpirationSeconds, ["path"] = "token" } },
            new JsonObject
            {
                ["configMap"] = new JsonObject
                {
                    ["name"] = "kube-root-ca.crt",
                    ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                },
            },
            new JsonObject
            {
                ["downwardAPI"] = new JsonObject
                {
                    ["items"] = new JsonArray(new JsonObject
                    {
                        ["path"] = "namespace",
                        ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                    }),
                },
            }),
    };

    /// <summary>A pod without imagePullSecrets gets its ServiceAccount's.</summary>
    public static void InheritImagePullSecrets(JsonObject podSpec, JsonObject serviceAccount)
    {
        if (podSpec["imagePullSecrets"] is JsonArray { Count: > 0 } || serviceAccount["imagePullSecrets"] is not JsonArray { Count: > 0 } pulls)
        {
            return;
        }

        podSpec["imagePullSecrets"] = new JsonArray([.. pulls.OfType<JsonObject>().Select(p => (JsonNode)new JsonObject { ["name"] = p["name"]?.ToString() ?? "" })]);
    }

    public static bool IsMirrorPod(JsonObject pod) => pod["metadata"]?["annotations"]?[MirrorPodAnnotation] is not null;

    /// <summary>Why a mirror pod (the kubelet's copy of a static pod) is refused, or null: it may
    /// reference no ServiceAccount, no secret and no token projection.</summary>
    public static string? MirrorPodViolation(JsonObject podSpec)
    {
        if (!string.IsNullOrEmpty(podSpec["serviceAccountName"]?.ToString()))
        {
            return "a mirror pod may not reference service accounts";
        }

        if (SecretReferences(podSpec).Any())
        {
            return "a mirror pod may not reference secrets";
        }

        var projections = (podSpec["volumes"] as JsonArray ?? []).SelectMany(v => v?["projected"]?["sources"] as JsonArray ?? []);
        return projections.Any(p => p?["serviceAccountToken"] is not null)
            ? "a mirror pod may not use ServiceAccountToken volume projections"
            : null;
    }

    /// <summary>The deprecated <c>kubernetes.io/enforce-mountable-secrets: "true"</c> (still
    /// enforced in 1.33, with a warning upstream).</summary>
    public static bool EnforcesMountableSecrets(JsonObject serviceAccount) =>
        serviceAccount["metadata"]?["annotations"]?[EnforceMountableSecretsAnnotation]?.ToString() is { } value
        && bool.TryParse(value, out var enforce) && enforce;

    /// <summary>Upstream's limitSecretReferences: with enforcement on, every secret volume, every
    /// env/envFrom secret of every container, and every image pull secret must be listed by the
    /// ServiceAccount. The first violation in upstream's wording, or null.</summary>
    public static string? SecretReferenceViolation(JsonObject serviceAccount, JsonObject podSpec)
    {
        var saName = serviceAccount["metadata"]?["name"]?.ToString() ?? "";
        var mountable = Names(serviceAccount["secrets"]);
        foreach (var volume in podSpec["volumes"] as JsonArray ?? [])
        {
            if (volume?["secret"] is JsonObject secret && !mountable.Contains(secret["secretName"]?.ToString() ?? ""))
            {
                return $"volume with secret.secretName=\"{secret["secretName"]}\" is not allowed because service account {saName} does not reference that secret";
            }
        }

        foreach (var (list, label) in new[] { ("initContainers", "init container"), ("containers", "container"), ("ephemeralContainers", "ephemeral container") })
        {
            foreach (var container in (podSpec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                var name = container["name"]?.ToString();
                foreach (var env in container["env"] as JsonArray ?? [])
                {
                    if (env?["valueFrom"]?["secretKeyRef"]?["name"]?.ToString() is { } secret && !mountable.Contains(secret))
                    {
                        return $"{label} {name} with envVar {env["name"]} referencing secret.secretName=\"{secret}\" is not allowed because service account {saName} does not reference that secret";
                    }
                }

                foreach (var from in container["envFrom"] as JsonArray ?? [])
                {
                    if (from?["secretRef"]?["name"]?.ToString() is { } secret && !mountable.Contains(secret))
                    {
                        return $"{label} {name} with envFrom referencing secret.secretName=\"{secret}\" is not allowed because service account {saName} does not reference that secret";
                    }
                }
            }
        }

        var pullable = Names(serviceAccount["imagePullSecrets"]);
        var pulls = podSpec["imagePullSecrets"] as JsonArray ?? [];
        for (var i = 0; i < pulls.Count; i++)
        {
            var name = pulls[i]?["name"]?.ToString() ?? "";
            if (!pullable.Contains(name))
            {
                return $"imagePullSecrets[{i}].name=\"{name}\" is not allowed because service account {saName} does not reference that imagePullSecret";
            }
        }

        return null;
    }

    /// <summary>Every secret the spec names: volumes (plain and projected), env and envFrom of
    /// every container, image pull secrets.</summary>
    private static IEnumerable<string> SecretReferences(JsonObject podSpec)
    {
        foreach (var volume in podSpec["volumes"] as JsonArray ?? [])
        {
            if (volume?["secret"]?["secretName"]?.ToString() is { } name)
            {
                yield return name;
            }

            foreach (var source in volume?["projected"]?["sources"] as JsonArray ?? [])
            {
                if (source?["secret"]?["name"]?.ToString() is { } projected)
                {
                    yield return projected;
                }
            }
        }

        foreach (var list in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var container in (podSpec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var env in container["env"] as JsonArray ?? [])
                {
                    if (env?["valueFrom"]?["secretKeyRef"]?["name"]?.ToString() is { } name)
                    {
                        yield return name;
                    }
                }

                foreach (var from in container["envFrom"] as JsonArray ?? [])
                {
                    if (from?["secretRef"]?["name"]?.ToString() is { } name)
                    {
                        yield return name;
                    }
                }
            }
        }

        foreach (var pull in podSpec["imagePullSecrets"] as JsonArray ?? [])
        {
            if (pull?["name"]?.ToString() is { } name)
            {
                yield return name;
            }
        }
    }

    /// <summary>Five characters of upstream's name generator alphabet (no vowels, no look-alikes).</summary>
    public static string RandomSuffix() =>
        string.Create(5, 0, (span, _) =>
        {
            const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });

    private static HashSet<string> Names(JsonNode? references) =>
        (references as JsonArray ?? []).Select(r => r?["name"]?.ToString() ?? "").ToHashSet(StringComparer.Ordinal);

    private static bool? Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;
}
