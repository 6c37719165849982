using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore;

namespace LiteKube.ApiServer.Registry;

/// <summary>
/// What one resource adds to the txns that write its objects, so that state kept beside the
/// object (a Service's allocated IPs and node ports) changes in the same revision as the object
/// on every write path: create, update, patch, subresources, delete, namespace cleanup.
/// </summary>
/// <remarks>
/// <para>The store calls a hook before each txn attempt, on a copy of the object it is about to
/// write, which the hook may change (fill in allocated values). The hook may read the datastore;
/// its compares make the txn fail if what it read changed. When the object's own compare held
/// but a hook's failed, the store calls the hook again on a fresh copy (bounded retries).</para>
/// <para>A hook throws an <c>ApiException</c> to refuse the write; nothing is written then.
/// Hooks run for dry runs too (to fill in and check values) but their ops are not applied.
/// Implementations must be thread-safe.</para>
/// </remarks>
public interface IStorageHook
{
    bool Handles(ResourceDefinition resource);

    Task<StorageEffects> BeforeCreateAsync(ResourceDefinition resource, JsonObject created, CancellationToken cancellationToken);

    Task<StorageEffects> BeforeUpdateAsync(ResourceDefinition resource, JsonObject current, JsonObject updated, CancellationToken cancellationToken);

    /// <summary>The object is removed for good (not merely marked for deletion).</summary>
    StorageEffects BeforeRemove(ResourceDefinition resource, JsonObject current);
}

/// <summary>Compares and ops a hook adds to the object's txn (ops go on the success branch).</summary>
public sealed record StorageEffects(IReadOnlyList<Compare> Compares, IReadOnlyList<TxnOp> Ops)
{
    public static readonly StorageEffects None = new([], []);

    public StorageEffects Then(StorageEffects other) =>
        other.Compares.Count == 0 && other.Ops.Count == 0 ? this : new([.. Compares, .. other.Compares], [.. Ops, .. other.Ops]);
}
