using System.IO.Pipelines;

namespace LiteKube.Datastore.EtcdApi.Http2;

/// <summary>A connection's transport with <see cref="AuthorityFixingReader"/> on its input.</summary>
internal sealed class AuthorityFixingTransport(IDuplexPipe inner) : IDuplexPipe
{
    public PipeReader Input { get; } = new AuthorityFixingReader(inner.Input);

    public PipeWriter Output => inner.Output;
}
