using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Controllers;

/// <summary>
/// Carries out the namespace-defaults decisions. The view they were made from may lag, so every
/// step re-reads: the namespace must still exist with the uid seen and be active, a create that
/// finds the object already there (another server, or an earlier pass) changes nothing, and a
/// restore edits only the ConfigMap with the uid seen, and only when it still differs.
/// Returns false when the step did not apply.
/// </summary>
public sealed class NamespaceDefaultsExecutor(ObjectStore objects, ResourceCatalog catalog, RootCaPublisherOptions rootCa)
{
    private readonly ResourceDefinition _namespaces = catalog.Find("", "v1", "namespaces")!;
    private readonly ResourceDefinition _serviceAccounts = catalog.Find("", "v1", "serviceaccounts")!;
    private readonly ResourceDefinition _configMaps = catalog.Find("", "v1", "configmaps")!;

    public async Task<bool> RunAsync(NamespaceDefaultsAction action, CancellationToken cancellationToken)
    {
        try
        {
            if (!await NamespaceStillActiveAsync(action, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            switch (action)
            {
                case NamespaceDefaultsAction.CreateServiceAccount:
                    await objects.CreateAsync(_serviceAccounts, action.Namespace, NewServiceAccount(), cancellationToken).ConfigureAwait(false);
                    return true;
                case NamespaceDefaultsAction.CreateRootCaMap:
                    await objects.CreateAsync(_configMaps, action.Namespace, NewRootCaMap(rootCa.CaBundlePem), cancellationToken).ConfigureAwait(false);
                    return true;
                case NamespaceDefaultsAction.RestoreRootCaMap restore:
                    return await RestoreAsync(restore, cancellationToken).ConfigureAwait(false);
                default:
                    return false;
            }
        }
        catch (ApiException e) when (e.Reason is "AlreadyExists" or "NotFound" or "Conflict")
        {
            return false;
        }
    }

    /// <summary>Gives the named namespaces (those that exist and are active) their defaults now,
    /// rather than on the controller's first pass: the host calls it at start for the system
    /// namespaces, so that a pod created right after start finds its ServiceAccount.</summary>
    public async Task EnsureAsync(IEnumerable<string> namespaces, CancellationToken cancellationToken)
    {
        foreach (var name in namespaces)
        {
            var stored = await objects.GetStoredAsync(_namespaces, "", name, cancellationToken).ConfigureAwait(false);
            if (stored is null || NamespaceFact.Of(stored.Object) is not { Active: true } ns)
            {
                continue;
            }

            await RunAsync(new NamespaceDefaultsAction.CreateServiceAccount(ns.Name, ns.Uid), cancellationToken).ConfigureAwait(false);
            await RunAsync(new NamespaceDefaultsAction.CreateRootCaMap(ns.Name, ns.Uid), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The object upstream's controller creates: a name and nothing else.</summary>
    public static JsonObject NewServiceAccount() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ServiceAccount",
        ["metadata"] = new JsonObject { ["name"] = ServiceAccountController.DefaultName },
    };

    public static JsonObject NewRootCaMap(string caBundlePem) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = RootCaPublisher.ConfigMapName,
            ["annotations"] = new JsonObject { [RootCaPublisher.DescriptionAnnotation] = RootCaPublisher.Description },
        },
        ["data"] = new JsonObject { [RootCaPublisher.DataKey] = caBundlePem },
    };

    /// <summary>Upstream's update: data replaced by exactly {ca.crt}, the description set; the
    /// rest of the object (labels, other annotations, binaryData) kept.</summary>
    public static bool Restore(JsonObject configMap, string caBundlePem)
    {
        if (RootCaPublisher.IsCurrent(RootCaMapFact.Of(configMap), caBundlePem))
        {
            return false;
        }

        configMap["data"] = new JsonObject { [RootCaPublisher.DataKey] = caBundlePem };
        var metadata = ObjectStore.Metadata(configMap);
        if (metadata["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            metadata["annotations"] = annotations;
        }

        annotations[RootCaPublisher.DescriptionAnnotation] = RootCaPublisher.Description;
        return true;
    }

    private async Task<bool> NamespaceStillActiveAsync(NamespaceDefaultsAction action, CancellationToken cancellationToken)
    {
        var stored = await objects.GetStoredAsync(_namespaces, "", action.Namespace, cancellationToken).ConfigureAwait(false);
        return stored is not null && NamespaceFact.Of(stored.Object) is { Active: true } ns && ns.Uid == action.NamespaceUid;
    }

    private async Task<bool> RestoreAsync(NamespaceDefaultsAction.RestoreRootCaMap restore, CancellationToken cancellationToken)
    {
        try
        {
            await objects.UpdateAsync(_configMaps, restore.Namespace, RootCaPublisher.ConfigMapName, current =>
            {
                if (ObjectStore.Metadata(current)["uid"]?.ToString() != restore.ConfigMapUid || !Restore(current, rootCa.CaBundlePem))
                {
                    throw new NothingToDoException();
                }

                return current;
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NothingToDoException)
        {
            return false;
        }
    }

    private sealed class NothingToDoException : Exception;
}
