using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace LiteKube.Host;

/// <summary>Marks an endpoint as served only on the Kubernetes API listener
/// (<see cref="ApiListener"/> true) or only off it. One application serves both listeners; this
/// is what keeps the plaintext, unauthenticated etcd port from answering Kubernetes API paths and
/// the authenticated HTTPS API port from answering etcd gRPC calls.</summary>
internal sealed record ListenerMetadata(int ApiPort, bool ApiListener)
{
    public bool Accepts(HttpContext context) => (context.Connection.LocalPort == ApiPort) == ApiListener;
}

/// <summary>Drops candidate endpoints whose <see cref="ListenerMetadata"/> refuses the
/// connection's local port, so such a request matches nothing (404) rather than the wrong API.</summary>
internal sealed class ListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // Before the HTTP method and host policies, so that they only see what may answer here.
    public override int Order => -1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<ListenerMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Endpoint.Metadata.GetMetadata<ListenerMetadata>() is { } listener && !listener.Accepts(httpContext))
            {
                candidates.SetValidity(i, false);
            }
        }
        return Task.CompletedTask;
    }
}
