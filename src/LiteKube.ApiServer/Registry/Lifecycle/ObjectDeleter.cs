using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>The result of one delete: whether the object is gone, and the object as it was last
/// stored (gone) or as it is now (marked for deletion, or already being deleted).</summary>
public sealed record DeleteOutcome(bool Removed, JsonObject Object);

/// <summary>
/// Deletes one object as upstream's generic store does, for the HTTP verbs and for the
/// reconcilers alike: reads it, plans the step with <see cref="DeletionRules"/>, and writes it
/// only if the object did not change meanwhile (else plans again on the new state). Every
/// write compares the revision it read, so several servers deleting at once cannot clash.
/// </summary>
public sealed class ObjectDeleter(ObjectStore objects)
{
    public async Task<DeleteOutcome> DeleteAsync(ResourceDefinition resource, string ns, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stored = await objects.GetStoredAsync(resource, ns, name, cancellationToken).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, name);
            switch (DeletionRules.Plan(resource, stored.Object, options, objects.Now))
            {
                case DeletionStep.Pending pending:
                    return new DeleteOutcome(false, pending.Current);
                case DeletionStep.Mark mark:
                    if (options.DryRun || await objects.WriteAtAsync(resource, ns, name, mark.Marked, stored.Revision, cancellationToken).ConfigureAwait(false))
                    {
                        return new DeleteOutcome(false, mark.Marked);
                    }

                    break;
                case DeletionStep.Remove remove:
                    if (options.DryRun || await objects.RemoveAsync(resource, ns, name, stored.Revision, cancellationToken).ConfigureAwait(false))
                    {
                        return new DeleteOutcome(true, remove.LastState);
                    }

                    break;
            }

            // The object changed between the read and the write: plan again on what is stored now.
        }
    }

    /// <summary>Deletes if the object still has <paramref name="uid"/>; false when it is gone or
    /// was replaced by another object of the same name. For the reconcilers.</summary>
    public async Task<bool> DeleteIfSameAsync(ResourceDefinition resource, string ns, string name, string uid, Propagation? policy, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteAsync(resource, ns, name, new DeleteOptions { PreconditionUid = uid, PropagationPolicy = policy?.ToString() }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ApiException e) when (e.Reason is "NotFound" or "Conflict")
        {
            return false;
        }
    }
}
