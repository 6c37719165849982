using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Selectors;

namespace LiteKube.ApiServer.Tests.Selectors;

public sealed class FieldSelectorTests
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.BuiltIn();
    private static readonly ResourceDefinition Pods = Catalog.Find("", "v1", "pods")!;
    private static readonly ResourceDefinition Nodes = Catalog.Find("", "v1", "nodes")!;

    private static readonly JsonObject Pod = JsonNode.Parse("""
        {"metadata":{"name":"p1","namespace":"default"},"spec":{"nodeName":"n1"},"status":{"phase":"Running"}}
        """)!.AsObject();

    [Theory]
    [InlineData("metadata.name=p1", true)]
    [InlineData("metadata.name==p1", true)]
    [InlineData("metadata.name!=p1", false)]
    [InlineData("metadata.namespace=default,spec.nodeName=n1", true)]
    [InlineData("status.phase=Running,spec.nodeName=n2", false)]
    [InlineData("spec.nodeName=", false)]
    [InlineData("status.podIP=", true)]
    public void Pod_fields_filter(string selector, bool matches) =>
        Assert.Equal(matches, FieldSelector.Parse(selector, Pods).Matches(Pod));

    [Fact]
    public void An_absent_unschedulable_reads_as_false()
    {
        var node = JsonNode.Parse("""{"metadata":{"name":"n1"},"spec":{}}""")!.AsObject();
        Assert.True(FieldSelector.Parse("spec.unschedulable=false", Nodes).Matches(node));
        Assert.False(FieldSelector.Parse("spec.unschedulable=true", Nodes).Matches(node));
    }

    [Fact]
    public void A_field_the_kind_does_not_support_is_refused_by_name()
    {
        var error = Assert.Throws<ApiException>(() => FieldSelector.Parse("spec.nodeName=n1", Nodes));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Code);
        Assert.Contains("spec.nodeName", error.Message);
    }

    [Fact]
    public void A_term_without_an_operator_is_refused()
    {
        Assert.Throws<ApiException>(() => FieldSelector.Parse("metadata.name", Pods));
    }

    [Fact]
    public void Escaped_separators_belong_to_the_value()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"a,b=c"}}""")!.AsObject();
        Assert.True(FieldSelector.Parse(@"metadata.name=a\,b\=c", Pods).Matches(pod));
    }
}
