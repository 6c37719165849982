using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Health;
using LiteKube.ApiServer.Admission;
using LiteKube.ApiServer.Discovery;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.OpenApi;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Controllers;
using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Registry.Services;
using LiteKube.ApiServer.Registry.Watching;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Tables;
using LiteKube.Datastore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiteKube.ApiServer;

/// <summary>Composes the Kubernetes API into an ASP.NET Core application. The host provides
/// IKeyValueStore, TimeProvider, the CA and HTTPS (Kestrel with client certificates allowed).</summary>
public static class KubernetesApiExtensions
{
    private const string AggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private const string AggregatedV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    public static IServiceCollection AddKubernetesApi(this IServiceCollection services)
    {
        services.AddSingleton(ResourceCatalog.BuiltIn());
        services.AddSingleton<DiscoveryDocuments>();
        // The host may register its own (--service-cidr) before this call.
        services.TryAddSingleton(new ServiceNetworkOptions());
        services.AddSingleton<IStorageHook>(sp => new ServiceAllocationHook(sp.GetRequiredService<IKeyValueStore>(), sp.GetRequiredService<ServiceNetworkOptions>()));
        services.AddSingleton<HealthChecks>();
        services.AddSingleton(sp => new ObjectStore(sp.GetRequiredService<IKeyValueStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetServices<IStorageHook>()));
        services.AddTablePrinters();
        services.AddSingleton(new AdmissionChain(AdmissionChain.BuiltIn()));
        services.AddSingleton<PodServiceAccountAdmission>();
        services.AddSingleton<ObjectLister>();
        services.AddSingleton<ObjectDeleter>();
        services.AddSingleton<WatchCaches>();
        services.AddHostedService(sp => sp.GetRequiredService<WatchCaches>());
        services.AddSingleton<WatchStreamer>();
        services.AddSingleton<LifecycleExecutor>();
        services.AddHostedService<LifecycleController>();
        // The host registers RootCaPublisherOptions (the cluster CA) before this call.
        services.AddSingleton<NamespaceDefaultsExecutor>();
        services.AddHostedService<NamespaceDefaultsController>();
        services.AddSingleton<Registry.Services.Repair.AllocationRepairExecutor>();
        services.AddSingleton<Registry.Services.Repair.AllocationRepairController>();
        services.AddHostedService(sp => sp.GetRequiredService<Registry.Services.Repair.AllocationRepairController>());
        services.AddSingleton<ResourceHandler>();
        services.AddSingleton<Http.Subresources.SubresourceHandler>();
        services.AddKubernetesApiSecurity();
        services.AddSingleton<OpenApiDocuments>().AddSingleton<OpenApiHandler>();
        return services;
    }

    /// <summary>Lists this server in the <c>kubernetes</c> Service's endpoints while it runs,
    /// beside every other live API server of the datastore (upstream's lease reconciler).</summary>
    public static IServiceCollection AddKubernetesServiceEndpoints(this IServiceCollection services, IPAddress advertiseAddress, int apiPort)
    {
        services.AddSingleton(new ApiServerEndpoint(advertiseAddress, apiPort));
        services.AddSingleton(sp => new ApiServerLeases(sp.GetRequiredService<IKeyValueStore>()));
        services.AddSingleton<KubernetesEndpointsReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesEndpointsReconciler>());
        return services;
    }

    public static IEndpointRouteBuilder MapKubernetesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/{**path}", ServeAsync);
        return endpoints;
    }

    private static async Task ServeAsync(HttpContext context)
    {
        try
        {
            var path = context.Request.Path.Value ?? "/";
            var info = RequestInfoParser.Parse(context.Request.Method, path, IsTrue(context.Request.Query["watch"]));
            var security = context.RequestServices.GetRequiredService<RequestSecurity>();
            var user = await security.AdmitAsync(context, info).ConfigureAwait(false);
            if (await security.TryServeAsync(context, info, user).ConfigureAwait(false))
            {
                return;
            }

            if (info.IsResourceRequest)
            {
                await context.RequestServices.GetRequiredService<ResourceHandler>().HandleAsync(context, info).ConfigureAwait(false);
            }
            else
            {
                await ServeNonResourceAsync(context, info).ConfigureAwait(false);
            }
        }
        catch (ApiException e)
        {
            await StatusResponses.WriteAsync(context, e).ConfigureAwait(false);
        }
        catch (DatastoreException e) when (e.Error == DatastoreError.Compacted)
        {
            await StatusResponses.WriteAsync(context, ApiException.Gone($"The resourceVersion for the provided request is too old: {e.Message}")).ConfigureAwait(false);
        }
        catch (DatastoreException e) when (e.Error == DatastoreError.Unavailable)
        {
            await StatusResponses.WriteAsync(context, new ApiException(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            // A bug, not bad input: still answer with a Status, as upstream's InternalError does.
            await StatusResponses.WriteAsync(context, new ApiException(HttpStatusCode.InternalServerError, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}")).ConfigureAwait(false);
        }
    }

    private static async Task ServeNonResourceAsync(HttpContext context, RequestInfo info)
    {
        if (info.Path.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            await context.RequestServices.GetRequiredService<OpenApiHandler>().ServeAsync(context).ConfigureAwait(false);
            return;
        }

        if (HealthChecks.Handles(info.Path))
        {
            await context.RequestServices.GetRequiredService<HealthChecks>().ServeAsync(context, info.Path).ConfigureAwait(false);
            return;
        }

        var discovery = context.RequestServices.GetRequiredService<DiscoveryDocuments>();
        var accept = context.Request.Headers.Accept.ToString();
        JsonNode? body = null;
        var contentType = "application/json";
        switch (info.Path.TrimEnd('/'))
        {
            case "/version":
                body = ServerVersion.Document();
                break;
            case "/api" or "/apis":
                var core = info.Path.TrimEnd('/') == "/api";
                if (accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal))
                {
                    var v2 = accept.Contains("v=v2;", StringComparison.Ordinal) || accept.Contains("v=v2,", StringComparison.Ordinal) || accept.EndsWith("v=v2", StringComparison.Ordinal);
                    contentType = v2 ? AggregatedV2 : AggregatedV2Beta1;
                    body = discovery.Aggregated(core, v2 ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1");
                }
                else
                {
                    body = core ? discovery.ApiVersions($"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}") : discovery.ApiGroupList();
                }

                break;
            default:
                if (info.ApiPrefix == "api" && info.Version != "")
                {
                    body = discovery.ApiResourceList("", info.Version);
                }
                else if (info.ApiPrefix == "apis" && info.Version != "")
                {
                    body = discovery.ApiResourceList(info.Group, info.Version);
                }
                else if (info.ApiPrefix == "apis" && info.Group != "")
                {
                    body = discovery.ApiGroup(info.Group);
                }

                break;
        }

        if (body is null)
        {
            throw new ApiException(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");
        }

        await StatusResponses.WriteJsonAsync(context, 200, body, contentType).ConfigureAwait(false);
    }

    private static bool IsTrue(string? value) => value is "true" or "1";
}
