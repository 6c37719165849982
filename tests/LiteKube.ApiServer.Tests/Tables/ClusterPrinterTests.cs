using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

/// <summary>Lease, EndpointSlice, PodDisruptionBudget, RoleBinding and ClusterRoleBinding.</summary>
public sealed class ClusterPrinterTests
{
    [Fact]
    public void A_lease_prints_its_holder()
    {
        var printer = new LeasePrinter();
        Assert.Equal("NAME | HOLDER | AGE", PrinterColumns.Headers(printer));
        Assert.Equal(["kube-scheduler", "server-1_4f2a", "5s"], new ObjectBuilder("kube-scheduler", TimeSpan.FromSeconds(5)).Set("spec.holderIdentity", "server-1_4f2a").PrintWith(printer));
        Assert.Equal("", new ObjectBuilder("free").PrintWith(printer)[1]);
    }

    [Fact]
    public void An_endpoint_slice_prints_ports_and_addresses_cut_at_three()
    {
        var printer = new EndpointSlicePrinter();
        Assert.Equal("NAME | ADDRESSTYPE | PORTS | ENDPOINTS | AGE", PrinterColumns.Headers(printer));
        var cells = new ObjectBuilder("web-abc")
            .Set("addressType", "IPv4")
            .Set("ports", """[{"port":80},{"name":"metrics"},{},{"port":443}]""")
            .Set("endpoints", """[{"addresses":["10.0.0.1","10.0.0.2"]},{"addresses":["10.0.0.3"]}]""")
            .PrintWith(printer);
        Assert.Equal(["web-abc", "IPv4", "80,metrics,* + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3", "<unknown>"], cells);
        Assert.Equal(["<unset>", "<unset>"], new ObjectBuilder("e").PrintWith(printer).Skip(2).Take(2));
    }

    [Fact]
    public void A_disruption_budget_prints_int_or_percent_and_na()
    {
        var printer = new PodDisruptionBudgetPrinter();
        Assert.Equal("NAME | MIN AVAILABLE | MAX UNAVAILABLE | ALLOWED DISRUPTIONS | AGE", PrinterColumns.Headers(printer));
        Assert.Equal(["pdb", "2", "N/A", "1", "<unknown>"], new ObjectBuilder("pdb").Set("spec.minAvailable", 2).Set("status.disruptionsAllowed", 1).PrintWith(printer));
        Assert.Equal(["pdb", "N/A", "25%", "0", "<unknown>"], new ObjectBuilder("pdb").Set("spec.maxUnavailable", "25%").PrintWith(printer));
    }

    [Fact]
    public void Role_bindings_print_the_role_and_their_subjects_by_kind()
    {
        var headers = "NAME | ROLE | AGE | USERS (wide) | GROUPS (wide) | SERVICEACCOUNTS (wide)";
        Assert.Equal(headers, PrinterColumns.Headers(new RoleBindingPrinter()));
        Assert.Equal(headers, PrinterColumns.Headers(new ClusterRoleBindingPrinter()));
        var binding = new ObjectBuilder("readers", TimeSpan.FromSeconds(1))
            .Set("roleRef", """{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}""")
            .Set("subjects", """
                [{"kind":"User","name":"alice"},{"kind":"User","name":"bob"},{"kind":"Group","name":"devs"},
                 {"kind":"ServiceAccount","namespace":"ci","name":"builder"},{"kind":"Robot","name":"r2"}]
                """);
        Assert.Equal(["readers", "ClusterRole/view", "1s", "alice, bob", "devs", "ci/builder"], binding.PrintWith(new RoleBindingPrinter()));
        Assert.Equal(["readers", "ClusterRole/view", "1s", "alice, bob", "devs", "ci/builder"], binding.PrintWith(new ClusterRoleBindingPrinter()));
    }
}
