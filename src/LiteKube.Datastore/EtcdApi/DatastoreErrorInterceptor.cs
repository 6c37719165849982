using Grpc.Core;
using Grpc.Core.Interceptors;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>Turns a <see cref="DatastoreException"/> thrown anywhere in an etcd service into the
/// gRPC status etcd would send, so the services themselves only deal with the happy path.</summary>
internal sealed class DatastoreErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (DatastoreException exception)
        {
            throw EtcdErrors.ToRpcException(exception);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (DatastoreException exception)
        {
            throw EtcdErrors.ToRpcException(exception);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (DatastoreException exception)
        {
            throw EtcdErrors.ToRpcException(exception);
        }
    }
}
