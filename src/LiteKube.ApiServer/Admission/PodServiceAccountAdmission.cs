using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Admission;

/// <summary>
/// Upstream's ServiceAccount admission for pod creates: the pod runs as a ServiceAccount that
/// exists (<c>default</c> unless it names one), gets its token through the projected
/// <c>kube-api-access-*</c> volume unless automount is off on the pod or the ServiceAccount,
/// inherits its image pull secrets, and respects its mountable-secrets list when the
/// ServiceAccount enforces one. Refusals are 403 Forbidden Statuses in upstream's words.
/// Updates are not admitted here: upstream admits creates only.
/// </summary>
/// <remarks>
/// A pod created right after its namespace may come before the ServiceAccount controller made
/// <c>default</c>. As upstream does, the lookup of <c>default</c> is tried 10 times, 100–200 ms
/// apart (about 1–2 s), before the pod is refused; another name is looked up once. The read
/// goes to the datastore (upstream reads its informer cache first, then the API).
/// </remarks>
public sealed class PodServiceAccountAdmission(ObjectStore objects, ResourceCatalog catalog, TimeProvider time)
{
    public const int DefaultLookupAttempts = 10;

    private readonly ResourceDefinition _serviceAccounts = catalog.Find("", "v1", "serviceaccounts")!;

    /// <summary>Admits a pod about to be created in <paramref name="ns"/> (changing it in place);
    /// other kinds pass untouched.</summary>
    public async Task AdmitCreateAsync(ResourceDefinition resource, string ns, JsonObject pod, CancellationToken cancellationToken)
    {
        if (resource.Group != "" || resource.Kind != "Pod" || pod["spec"] is not JsonObject spec)
        {
            return;
        }

        var name = ObjectStore.Metadata(pod)["name"]?.ToString() ?? "";
        if (PodServiceAccountRules.IsMirrorPod(pod))
        {
            if (PodServiceAccountRules.MirrorPodViolation(spec) is { } mirror)
            {
                throw Forbidden(name, mirror);
            }

            return;
        }

        // The deprecated spec.serviceAccount is what old clients send; upstream's conversion reads it.
        var saName = spec["serviceAccountName"]?.ToString() is { Length: > 0 } named ? named
            : spec["serviceAccount"]?.ToString() is { Length: > 0 } deprecated ? deprecated
            : PodServiceAccountRules.DefaultServiceAccount;
        spec["serviceAccountName"] = saName;
        spec["serviceAccount"] = saName;

        var serviceAccount = await LookUpAsync(ns, saName, cancellationToken).ConfigureAwait(false)
            ?? throw Forbidden(name, $"error looking up service account {ns}/{saName}: serviceaccount \"{saName}\" not found");
        if (PodServiceAccountRules.ShouldAutomount(spec, serviceAccount))
        {
            PodServiceAccountRules.MountToken(spec, PodServiceAccountRules.RandomSuffix);
        }

        PodServiceAccountRules.InheritImagePullSecrets(spec, serviceAccount);
        if (PodServiceAccountRules.EnforcesMountableSecrets(serviceAccount)
            && PodServiceAccountRules.SecretReferenceViolation(serviceAccount, spec) is { } secrets)
        {
            throw Forbidden(name, secrets);
        }
    }

    /// <summary>upstream's admission.NewForbidden for pods.</summary>
    public static ApiException Forbidden(string podName, string why) =>
        new(HttpStatusCode.Forbidden, "Forbidden", podName == "" ? $"pods is forbidden: {why}" : $"pods \"{podName}\" is forbidden: {why}")
        {
            Details = new StatusDetails(podName, "pods"),
        };

    private async Task<JsonObject?> LookUpAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var attempts = name == PodServiceAccountRules.DefaultServiceAccount ? DefaultLookupAttempts : 1;
        var interval = TimeSpan.FromMilliseconds(100 + Random.Shared.Next(100));
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }

            if (await objects.GetStoredAsync(_serviceAccounts, ns, name, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return stored.Object;
            }
        }

        return null;
    }
}
