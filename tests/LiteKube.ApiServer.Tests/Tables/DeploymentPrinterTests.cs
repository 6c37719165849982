using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

public sealed class DeploymentPrinterTests
{
    private static readonly DeploymentPrinter Printer = new();

    [Fact]
    public void Columns_are_upstreams() =>
        Assert.Equal("NAME | READY | UP-TO-DATE | AVAILABLE | AGE | CONTAINERS (wide) | IMAGES (wide) | SELECTOR (wide)", PrinterColumns.Headers(Printer));

    [Fact]
    public void A_deployment_prints_ready_over_desired_counts_containers_and_its_selector()
    {
        var cells = new ObjectBuilder("web", TimeSpan.FromHours(2))
            .Set("spec.replicas", 3)
            .Set("spec.selector", """{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]},{"key":"canary","operator":"DoesNotExist"}]}""")
            .Set("spec.template.spec.containers", """[{"name":"web","image":"nginx:1.27"},{"name":"log","image":"busybox"}]""")
            .Set("status.readyReplicas", 2)
            .Set("status.updatedReplicas", 3)
            .Set("status.availableReplicas", 1)
            .PrintWith(Printer);
        Assert.Equal(["web", "2/3", "3", "1", "120m", "web,log", "nginx:1.27,busybox", "app=web,!canary,env in (dev,prod)"], cells);
    }

    [Fact]
    public void Integer_cells_are_json_numbers_and_a_bad_selector_is_invalid()
    {
        var obj = new ObjectBuilder("d").Set("spec.selector", """{"matchExpressions":[{"key":"a","operator":"Near"}]}""").Build();
        var cells = Printer.Cells(obj, ObjectBuilder.Now);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, cells[2]!.GetValueKind());
        Assert.Equal("0/1", cells[1]!.ToString());
        Assert.Equal("<invalid>", cells[7]!.ToString());
    }
}
