using Grpc.Core;
using LiteKube.Datastore.EtcdApi;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class EtcdErrorsTests
{
    [Theory]
    [InlineData(DatastoreError.Compacted, StatusCode.OutOfRange)]
    [InlineData(DatastoreError.FutureRevision, StatusCode.OutOfRange)]
    [InlineData(DatastoreError.LeaseNotFound, StatusCode.NotFound)]
    [InlineData(DatastoreError.LeaseExists, StatusCode.FailedPrecondition)]
    [InlineData(DatastoreError.LeaseTtlTooLarge, StatusCode.OutOfRange)]
    [InlineData(DatastoreError.KeyNotFound, StatusCode.InvalidArgument)]
    [InlineData(DatastoreError.EmptyKey, StatusCode.InvalidArgument)]
    [InlineData(DatastoreError.DuplicateKey, StatusCode.InvalidArgument)]
    [InlineData(DatastoreError.TooManyOps, StatusCode.InvalidArgument)]
    [InlineData(DatastoreError.RequestTooLarge, StatusCode.InvalidArgument)]
    [InlineData(DatastoreError.Unsupported, StatusCode.InvalidArgument)]
    [InlineData(DatastoreError.InvalidArgument, StatusCode.InvalidArgument)]
    [InlineData(DatastoreError.Unavailable, StatusCode.Unavailable)]
    public void Each_datastore_error_maps_to_the_grpc_code_etcd_uses_and_keeps_its_message(DatastoreError error, StatusCode code)
    {
        var exception = EtcdErrors.ToRpcException(new DatastoreException(error, "etcdserver: some words"));

        Assert.Equal(code, exception.StatusCode);
        Assert.Equal("etcdserver: some words", exception.Status.Detail);
    }

    [Fact]
    public void Every_datastore_error_has_a_mapping()
    {
        Assert.All(Enum.GetValues<DatastoreError>(), error => Assert.NotEqual(StatusCode.Unknown, EtcdErrors.ToStatusCode(error)));
    }

    [Fact]
    public void An_unsupported_option_keeps_the_name_the_store_gave_it()
    {
        var exception = EtcdErrors.ToRpcException(DatastoreException.Unsupported("range.fancy_filter"));

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Equal("litekube: option range.fancy_filter is not supported", exception.Status.Detail);
    }
}
