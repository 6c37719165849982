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
/// <remarks>Resources with an <see cref="IStorageHook"/> get its compares and ops in the same
/// txn as every write of their objects (see the hook's contract).</remarks>
public sealed class ObjectStore(IKeyValueStore store, TimeProvider time, IEnumerable<IStorageHook>? hooks = null)
{
    /// <summary>Attempts when only a hook's compare failed (a value it chose was taken meanwhile).</summary>
    private const int HookRetries = 10;

    private readonly IReadOnlyList<IStorageHook> _hooks = hooks?.ToList() ?? [];

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
        var generate = Metadata(obj)["generateName"]?.GetValue<string>();
        var nameConflicts = 0;
        var hookConflicts = 0;
        while (true)
        {
            // Each attempt starts from the caller's object: hooks fill in values they may have to choose again.
            var candidate = obj.DeepClone().AsObject();
            var metadata = Metadata(candidate);
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
            var effects = StorageEffects.None;
            foreach (var hook in HooksFor(resource))
            {
                effects = effects.Then(await hook.BeforeCreateAsync(resource, candidate, cancellationToken).ConfigureAwait(false));
            }

            if (dryRun)
            {
                var existing = await store.RangeAsync(new RangeRequest(key) { CountOnly = true }, cancellationToken).ConfigureAwait(false);
                if (existing.Count > 0)
                {
                    throw ApiException.AlreadyExists(resource.QualifiedName, name);
                }

                return candidate;
            }

            var txn = new TxnRequest(
                [new Compare(key, CompareTarget.Create, CompareResult.Equal) { Number = 0 }, .. effects.Compares],
                [new TxnPutOp(new PutRequest(key, Serialize(candidate))), .. effects.Ops],
                [new TxnRangeOp(new RangeRequest(key) { CountOnly = true })]);
            var result = await store.TxnAsync(txn, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                metadata["resourceVersion"] = result.Revision.ToString(CultureInfo.InvariantCulture);
                return candidate;
            }

            var nameTaken = ((RangeResult)result.Responses[0]).Count > 0;
            if (!nameTaken && ++hookConflicts < HookRetries)
            {
                continue;
            }

            if (!nameTaken)
            {
                throw ApiException.Conflict(resource.QualifiedName, name, "values allocated for the object were taken concurrently; please try again");
            }

            if (string.IsNullOrEmpty(generate) || nameConflicts++ >= GenerateNameRetries)
            {
                throw ApiException.AlreadyExists(resource.QualifiedName, name);
            }
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
        var hookConflicts = 0;
        while (true)
        {
            var current = await GetStoredAsync(resource, ns, name, cancellationToken).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, name);
            var computed = update(current.Object.DeepClone().AsObject());
            FinalizerRules.Guard(resource, current.Object, computed);
            var pinned = Metadata(computed)["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(pinned) && pinned != current.Revision.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(resource.QualifiedName, name, "the object has been modified; please apply your changes to the latest version and try again");
            }

            if (dryRun)
            {
                Metadata(computed)["resourceVersion"] = current.Revision.ToString(CultureInfo.InvariantCulture);
                foreach (var hook in HooksFor(resource))
                {
                    await hook.BeforeUpdateAsync(resource, current.Object, computed, cancellationToken).ConfigureAwait(false);
                }

                return computed;
            }

            WriteOutcome outcome;
            var updated = computed;
            if (FinalizerRules.RemovesOnWrite(resource, current.Object, computed))
            {
                // The last finalizer of an object being deleted is gone: the write removes it.
                outcome = await RemoveAsync(resource, ns, name, current.Revision, cancellationToken).ConfigureAwait(false) ? WriteOutcome.Written : WriteOutcome.ObjectChanged;
            }
            else
            {
                // Hooks change a copy, so that a retry starts again from what the caller computed.
                updated = computed.DeepClone().AsObject();
                var effects = StorageEffects.None;
                foreach (var hook in HooksFor(resource))
                {
                    effects = effects.Then(await hook.BeforeUpdateAsync(resource, current.Object, updated, cancellationToken).ConfigureAwait(false));
                }

                outcome = await WriteAsync(resource, ns, name, updated, current.Revision, effects, cancellationToken).ConfigureAwait(false);
            }

            if (outcome == WriteOutcome.Written)
            {
                return updated;
            }

            if (outcome == WriteOutcome.HookConflict)
            {
                // Only a hook's compare failed: choose again, whatever the caller pinned.
                if (++hookConflicts < HookRetries)
                {
                    continue;
                }

                throw ApiException.Conflict(resource.QualifiedName, name, "values allocated for the object were taken concurrently; please try again");
            }

            if (!string.IsNullOrEmpty(pinned))
            {
                throw ApiException.Conflict(resource.QualifiedName, name, "the object has been modified; please apply your changes to the latest version and try again");
            }
        }
    }

    /// <summary>Writes <paramref name="obj"/> if the object is still at <paramref name="revision"/>;
    /// false if it changed. Sets the object's resourceVersion to the write's revision. Applies no
    /// rules and no storage hooks: the deletion path uses it to set the fields
    /// <see cref="FinalizerRules.Guard"/> keeps from clients, which change nothing a hook keeps.</summary>
    public async Task<bool> WriteAtAsync(ResourceDefinition resource, string ns, string name, JsonObject obj, long revision, CancellationToken cancellationToken) =>
        await WriteAsync(resource, ns, name, obj, revision, StorageEffects.None, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written;

    private enum WriteOutcome { Written, ObjectChanged, HookConflict }

    private async Task<WriteOutcome> WriteAsync(ResourceDefinition resource, string ns, string name, JsonObject obj, long revision, StorageEffects effects, CancellationToken cancellationToken)
    {
        var key = Encoding.UTF8.GetBytes(resource.StorageKey(ns, name));
        var txn = new TxnRequest(
            [new Compare(key, CompareTarget.Mod, CompareResult.Equal) { Number = revision }, .. effects.Compares],
            [new TxnPutOp(new PutRequest(key, Serialize(obj))), .. effects.Ops],
            [new TxnRangeOp(new RangeRequest(key) { KeysOnly = true })]);
        var result = await store.TxnAsync(txn, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            Metadata(obj)["resourceVersion"] = result.Revision.ToString(CultureInfo.InvariantCulture);
            return WriteOutcome.Written;
        }

        var now = ((RangeResult)result.Responses[0]).Kvs;
        return now.Count == 1 && now[0].ModRevision == revision ? WriteOutcome.HookConflict : WriteOutcome.ObjectChanged;
    }

    /// <summary>Removes the object if it is still at <paramref name="revision"/>; false if it changed.</summary>
    public async Task<bool> RemoveAsync(ResourceDefinition resource, string ns, string name, long revision, CancellationToken cancellationToken)
    {
        var key = Encoding.UTF8.GetBytes(resource.StorageKey(ns, name));
        var effects = StorageEffects.None;
        var hooks = HooksFor(resource).ToList();
        if (hooks.Count > 0)
        {
            // The hooks release what the object holds, so they need the object at that revision.
            var stored = await GetStoredAsync(resource, ns, name, cancellationToken).ConfigureAwait(false);
            if (stored is null || stored.Revision != revision)
            {
                return false;
            }

            foreach (var hook in hooks)
            {
                effects = effects.Then(hook.BeforeRemove(resource, stored.Object));
            }
        }

        var txn = new TxnRequest(
            [new Compare(key, CompareTarget.Mod, CompareResult.Equal) { Number = revision }, .. effects.Compares],
            [new TxnDeleteOp(new DeleteRangeRequest(key)), .. effects.Ops],
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

    /// <summary>Every object of <paramref name="resource"/> in <paramref name="ns"/> ("" = all) as
    /// stored, unparsed, at the current revision.</summary>
    public async Task<(IReadOnlyList<KeyValue> Kvs, long Revision)> ListStoredJsonAsync(ResourceDefinition resource, string ns, CancellationToken cancellationToken)
    {
        var prefix = Encoding.UTF8.GetBytes(resource.StoragePrefixFor(ns));
        var result = await store.RangeAsync(new RangeRequest(prefix, PrefixEnd(prefix)), cancellationToken).ConfigureAwait(false);
        return (result.Kvs, result.Revision);
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

    private IEnumerable<IStorageHook> HooksFor(ResourceDefinition resource) => _hooks.Where(h => h.Handles(resource));

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
