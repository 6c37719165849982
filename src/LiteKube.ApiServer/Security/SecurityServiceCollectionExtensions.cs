using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security.Authorization;
using LiteKube.ApiServer.Security.Rbac;
using LiteKube.ApiServer.Security.Reviews;
using LiteKube.ApiServer.Security.ServiceAccounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiteKube.ApiServer.Security;

/// <summary>Registers authentication, authorization and the security endpoints.</summary>
public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddKubernetesApiSecurity(this IServiceCollection services)
    {
        // The host must say which key signs service-account tokens; a silently generated one
        // would differ between servers and restarts, and tokens would stop working.
        services.TryAddSingleton<ApiServerSecurityOptions>(_ => throw new InvalidOperationException(
            "the API server needs ApiServerSecurityOptions (the service-account signing key) registered before AddKubernetesApi"));
        services.AddSingleton<ClientCertificateAuthenticator>();
        services.AddSingleton(sp => sp.GetRequiredService<ApiServerSecurityOptions>().TokenAuthFile is { } path
            ? StaticTokenAuthenticator.Load(path)
            : StaticTokenAuthenticator.None);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<ApiServerSecurityOptions>();
            return new ServiceAccountTokenCodec(options.ServiceAccountKey, options.ServiceAccountIssuer);
        });
        services.AddSingleton<ServiceAccountTokenAuthenticator>();
        services.AddSingleton<RevokedNodeCertificates>();
        services.AddHostedService(sp => sp.GetRequiredService<RevokedNodeCertificates>());
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<RbacPolicyCache>();
        services.AddHostedService(sp => sp.GetRequiredService<RbacPolicyCache>());
        services.AddSingleton<RequestAuthorizer>();
        services.AddSingleton<AccessReviewEndpoints>();
        services.AddSingleton<IdentityReviewEndpoints>();
        services.AddSingleton<TokenRequestEndpoint>();
        services.AddSingleton<RequestSecurity>();
        return services;
    }

    /// <summary>Call at start, like the system namespaces: loads the credentials configuration
    /// (a bad token file fails the start with <see cref="TokenFileException"/>, not the first
    /// request) and creates the default RBAC objects.</summary>
    public static async Task InitializeKubernetesApiSecurityAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        services.GetRequiredService<RequestSecurity>();
        await RbacBootstrap.EnsureAsync(services.GetRequiredService<ObjectStore>(), services.GetRequiredService<ResourceCatalog>(), cancellationToken).ConfigureAwait(false);
    }
}
