using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore;

namespace LiteKube.ApiServer.Registry;

/// <summary>
/// Generic storage of Kubernetes objects in the datastore, one JSON document per key
/// (<see cref="ResourceDefinition.StorageKey"/>). An object's resourceVersion is the
/// datastore mod_revision of its key: it is not stored, but set on every read, and updates
/// compare it in a txn so that a stale write is refused with 409 Conflict.
/// </summary>
public sealed class ObjectStore(IKeyValueStore store, TimeProvider time)
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int GenerateNameRetries = 5;

    /// <summary>The injected clock, for timestamps the server sets.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<JsonObject> CreateAsync(ResourceDefinition resource, string ns, JsonObject obj, CancellationToken cancellationToken) =>
        await CreateAsync(resource, ns, obj, dryRun: false, cancellationToken).ConfigureAwait(false);

    /// <summary>Creates the object; with <paramref name="dryRun"/>, checks the name is free and
    /// answers what would be stored, storing nothing.</summary>
    public async Task<JsonObject> CreateAsync(ResourceDefinition resource, string ns, JsonObject obj, bool dryRun, CancellationToken cancellationToken)
    {
        var metadata = Metadata(obj);
        var generate = metadata["generateName"]?.GetValue<string>();
        for (var attempt = 0; ; attempt++)
        {
            var name = metadata["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name))
            {
                if (string.IsNullOrEmpty(generate))
                {
                    throw ApiException.Invalid(resource, "", [new FieldError("metadata.name", "Required value", "name or generateName is required")]);
                }

                name = generate + RandomSuffix();
                metadata["name"] = name;
            }

            StampCreation(resource, ns, metadata);
            var key = Encoding.UTF8.GetBytes(resource.StorageKey(ns, name));
            if (dryRun)
            {
                var existing = await store.RangeAsync(new RangeRequest(key) { CountOnly = true }, cancellationToken).ConfigureAwait(false);
                if (existing.Count > 0)
                {
                    throw ApiException.AlreadyExists(resource.QualifiedName, name);
                }

                return obj;
            }

            var txn = new TxnRequest(
                [new Compare(key, CompareTarget.Create, CompareResult.Equal) { Number = 0 }],
                [new TxnPutOp(new PutRequest(key, Serialize(obj)))],
                []);
            var result = await store.TxnAsync(txn, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                metadata["resourceVersion"] = result.Revision.ToString(CultureInfo.InvariantCulture);
                return obj;
            }

            if (string.IsNullOrEmpty(generate) || attempt >= GenerateNameRetries)
            {
                throw ApiException.AlreadyExists(resource.QualifiedName, name);
            }

            metadata.Remove("name");
        }
    }

    public async Task<JsonObject> GetAsync(ResourceDefinition resource, string ns, string name, CancellationToken cancellationToken)
    {
        var stored = await GetStoredAsync(resource, ns, name, cancellationToken).ConfigureAwait(false);
        return stored?.Object ?? throw ApiException.NotFound(resource.QualifiedName, name);
    }

    /// <summary>Reads, lets <paramref name="update"/> compute the new object, and writes it if the
    /// stored object did not change meanwhile (else reads again, unless the caller pinned a
    /// resourceVersion, which then conflicts). Returns the stored object.</summary>
    public Task<JsonObject> UpdateAsync(
        ResourceDefinition resource, string ns, string name, Func<JsonObject, JsonObject> update, CancellationToken cancellationToken) =>
        UpdateAsync(resource, ns, name, dryRun: false, update, cancellationToken);

    public async Task<JsonObject> UpdateAsync(
        ResourceDefinition resource, string ns, string name, bool dryRun, Func<JsonObject, JsonObject> update, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await GetStoredAsync(resource, ns, name, cancellationToken).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, name);
            var updated = update(current.Object.DeepClone().AsObject());
            FinalizerRules.Guard(resource, current.Object, updated);
            var metadata = Metadata(updated);
            var pinned = metadata["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(pinned) && pinned != current.Revision.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(resource.QualifiedName, name, "the object has been modified; please apply your changes to the latest version and try again");
            }

            if (dryRun)
            {
                metadata["resourceVersion"] = current.Revision.ToString(CultureInfo.InvariantCulture);
                return updated;
            }

            // The last finalizer of an object being deleted is gone: the write removes it.
            var written = FinalizerRules.RemovesOnWrite(resource, current.Object, updated)
                ? await RemoveAsync(resource, ns, name, current.Revision, cancellationToken).ConfigureAwait(false)
                : await WriteAtAsync(resource, ns, name, updated, current.Revision, cancellationToken).ConfigureAwait(false);
            if (written)
            {
                return updated;
            }

            if (!string.IsNullOrEmpty(pinned))
            {
                throw ApiException.Conflict(resource.QualifiedName, name, "the object has been modified; please apply your changes to the latest version and try again");
            }
        }
    }

    /// <summary>Writes <paramref name="obj"/> if the object is still at <paramref name="revision"/>;
    /// false if it changed. Sets the object's resourceVersion to the write's revision. Applies no
    /// rules: the deletion path uses it to set the fields <see cref="FinalizerRules.Guard"/> keeps
    /// from clients.</summary>
    public async Task<bool> WriteAtAsync(ResourceDefinition resource, string ns, string name, JsonObject obj, long revision, CancellationToken cancellationToken)
    {
        var key = Encoding.UTF8.GetBytes(resource.StorageKey(ns, name));
        var txn = new TxnRequest(
            [new Compare(key, CompareTarget.Mod, CompareResult.Equal) { Number = revision }],
            [new TxnPutOp(new PutRequest(key, Serialize(obj)))],
            []);
        var result = await store.TxnAsync(txn, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            Metadata(obj)["resourceVersion"] = result.Revision.ToString(CultureInfo.InvariantCulture);
        }

        return result.Succeeded;
    }

    /// <summary>Removes the object if it is still at <paramref name="revision"/>; false if it changed.</summary>
    public async Task<bool> RemoveAsync(ResourceDefinition resource, string ns, string name, long revision, CancellationToken cancellationToken)
    {
        var key = Encoding.UTF8.GetBytes(resource.StorageKey(ns, name));
        var txn = new TxnRequest(
            [new Compare(key, CompareTarget.Mod, CompareResult.Equal) { Number = revision }],
            [new TxnDeleteOp(new DeleteRangeRequest(key))],
            []);
        var result = await store.TxnAsync(txn, cancellationToken).ConfigureAwait(false);
        return result.Succeeded;
    }

    public async Task<StoredObject?> GetStoredAsync(ResourceDefinition resource, string ns, string name, CancellationToken cancellationToken)
    {
        var key = Encoding.UTF8.GetBytes(resource.StorageKey(ns, name));
        var result = await store.RangeAsync(new RangeRequest(key), cancellationToken).ConfigureAwait(false);
        return result.Kvs.Count == 0 ? null : ToStored(result.Kvs[0]);
    }

    /// <summary>Objects in key order (namespace, then name) from <paramref name="startKey"/>
    /// (inclusive) at a revision (0 = current).</summary>
    public async Task<(IReadOnlyList<StoredObject> Items, long Revision, bool More)> ListAsync(
        ResourceDefinition resource, string ns, string? startKey, long revision, long limit, CancellationToken cancellationToken)
    {
        var prefix = Encoding.UTF8.GetBytes(resource.StoragePrefixFor(ns));
        var end = PrefixEnd(prefix);
        var start = startKey is null ? prefix : Encoding.UTF8.GetBytes(startKey);
        var result = await store.RangeAsync(new RangeRequest(start, end) { Revision = revision, Limit = limit }, cancellationToken).ConfigureAwait(false);
        return (result.Kvs.Select(ToStored).ToList(), result.Revision, result.More);
    }

    public static StoredObject ToStored(KeyValue kv)
    {
        var obj = JsonNode.Parse(kv.Value)?.AsObject() ?? throw new InvalidDataException($"stored object {Encoding.UTF8.GetString(kv.Key)} is not a JSON object");
        Metadata(obj)["resourceVersion"] = kv.ModRevision.ToString(CultureInfo.InvariantCulture);
        return new StoredObject(Encoding.UTF8.GetString(kv.Key), obj, kv.ModRevision);
    }

    public static byte[] Serialize(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        Metadata(copy).Remove("resourceVersion");
        return JsonSerializer.SerializeToUtf8Bytes(copy);
    }

    /// <summary>metadata.generation after <paramref name="current"/> becomes <paramref name="updated"/>:
    /// bumped only when the spec changed, as upstream does for kinds with a spec.</summary>
    public static long NextGeneration(JsonObject current, JsonObject updated)
    {
        var generation = Metadata(current)["generation"]?.GetValue<long>() ?? 1;
        return JsonNode.DeepEquals(current["spec"], updated["spec"]) ? generation : generation + 1;
    }

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static byte[] PrefixEnd(byte[] prefix)
    {
        var end = (byte[])prefix.Clone();
        end[^1]++;
        return end;
    }

    private void StampCreation(ResourceDefinition resource, string ns, JsonObject metadata)
    {
        if (resource.Namespaced)
        {
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Rfc3339(time.GetUtcNow());
        metadata["generation"] = 1;
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
    }

    public static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string RandomSuffix() =>
        string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)];
            }
        });
}

/// <summary>An object as stored: its key, its JSON (resourceVersion set) and its revision.</summary>
public sealed record StoredObject(string Key, JsonObject Object, long Revision);
