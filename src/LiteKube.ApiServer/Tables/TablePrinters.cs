using LiteKube.ApiServer.Tables.Printers;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.ApiServer.Tables;

/// <summary>Every printer the API server has, and their registration. Kinds missing here print
/// upstream's default NAME / CREATED AT, as upstream does for Role, ClusterRole and LimitRange.</summary>
public static class TablePrinters
{
    public static IReadOnlyList<ITablePrinter> BuiltIn() =>
    [
        // core/v1
        new NamespacePrinter(),
        new PodPrinter(),
        new ServicePrinter(),
        new EndpointsPrinter(),
        new ConfigMapPrinter(),
        new SecretPrinter(),
        new ServiceAccountPrinter(),
        new NodePrinter(),
        new EventPrinter(),
        new ResourceQuotaPrinter(),
        new PersistentVolumePrinter(),
        new PersistentVolumeClaimPrinter(),
        new ReplicationControllerPrinter(),
        // apps/v1
        new DeploymentPrinter(),
        new ReplicaSetPrinter(),
        new StatefulSetPrinter(),
        new DaemonSetPrinter(),
        new ControllerRevisionPrinter(),
        // batch/v1
        new JobPrinter(),
        new CronJobPrinter(),
        // the other groups
        new LeasePrinter(),
        new EndpointSlicePrinter(),
        new PodDisruptionBudgetPrinter(),
        new HorizontalPodAutoscalerPrinter(),
        new EventsV1EventPrinter(),
        new RoleBindingPrinter(),
        new ClusterRoleBindingPrinter(),
    ];

    /// <summary>Registers the printers and the <see cref="TableConverter"/> over them.</summary>
    public static IServiceCollection AddTablePrinters(this IServiceCollection services)
    {
        foreach (var printer in BuiltIn())
        {
            services.AddSingleton(printer);
        }

        return services.AddSingleton<TableConverter>();
    }
}
