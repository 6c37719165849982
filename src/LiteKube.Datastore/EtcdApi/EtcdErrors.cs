using Grpc.Core;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>
/// etcd's error wording and gRPC codes (etcd api/v3rpc/rpctypes). Clients such as clientv3
/// turn an error back into a typed one by its exact message, so the words matter.
/// </summary>
internal static class EtcdErrors
{
    public const string MembershipRefused =
        "litekube: membership is managed by `litekube join` and `litekube leave`, not by the etcd API";

    public static DatastoreException TooManyOps() =>
        new(DatastoreError.TooManyOps, "etcdserver: too many operations in txn request");

    public static DatastoreException RequestTooLarge() =>
        new(DatastoreError.RequestTooLarge, "etcdserver: request is too large");

    public static DatastoreException ValueProvided() =>
        new(DatastoreError.InvalidArgument, "etcdserver: value is provided");

    public static DatastoreException LeaseProvided() =>
        new(DatastoreError.InvalidArgument, "etcdserver: lease is provided");

    public static DatastoreException InvalidSortOption() =>
        new(DatastoreError.InvalidArgument, "etcdserver: invalid sort option");

    /// <summary>etcd answers an empty RequestOp in a txn with "key not found".</summary>
    public static DatastoreException EmptyTxnOp() => DatastoreException.KeyNotFound();

    public static RpcException Unimplemented(string what) =>
        new(new Status(StatusCode.Unimplemented, $"litekube: {what} is not supported"));

    public static RpcException Membership() =>
        new(new Status(StatusCode.FailedPrecondition, MembershipRefused));

    public static RpcException ToRpcException(DatastoreException exception) =>
        new(new Status(ToStatusCode(exception.Error), exception.Message));

    public static StatusCode ToStatusCode(DatastoreError error) => error switch
    {
        DatastoreError.Compacted => StatusCode.OutOfRange,
        DatastoreError.FutureRevision => StatusCode.OutOfRange,
        DatastoreError.LeaseNotFound => StatusCode.NotFound,
        DatastoreError.LeaseExists => StatusCode.FailedPrecondition,
        DatastoreError.LeaseTtlTooLarge => StatusCode.OutOfRange,
        DatastoreError.KeyNotFound => StatusCode.InvalidArgument,
        DatastoreError.EmptyKey => StatusCode.InvalidArgument,
        DatastoreError.DuplicateKey => StatusCode.InvalidArgument,
        DatastoreError.TooManyOps => StatusCode.InvalidArgument,
        DatastoreError.RequestTooLarge => StatusCode.InvalidArgument,
        DatastoreError.Unsupported => StatusCode.InvalidArgument,
        DatastoreError.InvalidArgument => StatusCode.InvalidArgument,
        DatastoreError.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
