using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Tables;

namespace LiteKube.ApiServer.Tests.Tables;

/// <summary>The printer set as a whole: coverage of the catalog and robustness on odd objects.</summary>
public sealed class TablePrintersTests
{
    // Upstream has no printer for these either: kubectl shows NAME and CREATED AT.
    private static readonly HashSet<string> DefaultColumnKinds = ["Role", "ClusterRole", "LimitRange"];

    [Fact]
    public void Every_stored_resource_has_a_printer_or_prints_upstreams_default_columns()
    {
        var printers = TablePrinters.BuiltIn().Select(p => (p.Group, p.Kind)).ToHashSet();
        var stored = ResourceCatalog.BuiltIn().Resources.Where(r => r.Verbs.Contains("list"));
        var missing = stored.Where(r => !printers.Contains((r.Group, r.Kind)) && !DefaultColumnKinds.Contains(r.Kind)).Select(r => $"{r.Group}/{r.Kind}").ToList();
        Assert.Empty(missing);
        Assert.Equal(printers.Count, TablePrinters.BuiltIn().Count);
    }

    public static TheoryData<string> PrinterKinds()
    {
        var data = new TheoryData<string>();
        foreach (var p in TablePrinters.BuiltIn())
        {
            data.Add($"{p.Group}/{p.Kind}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PrinterKinds))]
    public void A_printer_prints_one_cell_per_column_for_empty_and_wrongly_typed_objects(string groupKind)
    {
        var printer = TablePrinters.BuiltIn().Single(p => $"{p.Group}/{p.Kind}" == groupKind);
        Assert.Equal("Name", printer.Columns.Single(c => c.Format == "name").Name);
        Assert.All(printer.Columns, c => Assert.Contains(c.Type, new[] { "string", "integer", "boolean", "number", "date" }));
        var odd = JsonNode.Parse("""
            {"metadata":{"name":7,"creationTimestamp":"yesterday","labels":[],"ownerReferences":{}},
             "spec":"x","status":[1,2],"subsets":{"a":1},"involvedObject":3,"regarding":[],"subjects":"s","endpoints":5,"ports":[null,1]}
            """)!.AsObject();
        var oddElements = JsonNode.Parse("""
            {"metadata":{"name":"x","ownerReferences":[1,{"controller":"yes"}],"deletionTimestamp":{}},
             "spec":{"containers":[1,null],"initContainers":["x"],"readinessGates":[2],"ports":[3],"selector":{"matchExpressions":[4]},
                     "template":{"spec":{"containers":[[]]}},"metrics":[5,{"type":"Resource"}],"claimRef":{},"accessModes":[{}]},
             "status":{"conditions":[3],"containerStatuses":[4],"initContainerStatuses":[5],"addresses":[6],"podIPs":["a"],
                       "loadBalancer":{"ingress":[7]},"currentMetrics":[8],"hard":{"cpu":{}},"active":{}},
             "subsets":[1,{"addresses":[2],"ports":[3]}],"endpoints":[1,{"addresses":[{}]}],"subjects":[1],"series":{"count":"x"}}
            """)!.AsObject();
        foreach (var obj in new[] { new JsonObject(), odd, oddElements })
        {
            Assert.Equal(printer.Columns.Count, printer.Cells(obj, ObjectBuilder.Now).Count);
        }
    }

    [Fact]
    public void The_converter_picks_the_printer_by_group_and_falls_back_to_name_and_created_at()
    {
        var converter = new TableConverter(TablePrinters.BuiltIn(), TimeProvider.System);
        var catalog = ResourceCatalog.BuiltIn();
        JsonObject Table(string group, string plural, string json) =>
            converter.ToTable(catalog.Find(group, "v1", plural)!, [JsonNode.Parse(json)!.AsObject()], [], "meta.k8s.io/v1", "Metadata");
        var core = Table("", "events", """{"metadata":{"name":"e"},"message":"core"}""");
        var v1 = Table("events.k8s.io", "events", """{"metadata":{"name":"e"},"note":"new"}""");
        Assert.Equal("core", core["rows"]![0]!["cells"]![6]!.ToString());
        Assert.Equal("new", v1["rows"]![0]!["cells"]![6]!.ToString());
        var role = Table("rbac.authorization.k8s.io", "roles", """{"metadata":{"name":"r","creationTimestamp":"2026-11-23T11:00:00Z"}}""");
        Assert.Equal(["Name", "Created At"], role["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()));
        Assert.Equal(["r", "2026-11-23T11:00:00Z"], role["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()));
    }
}
