using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry.Lifecycle;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LiteKube.ApiServer.Tests.Lifecycle;

public sealed class DeleteOptionsTests
{
    private static IQueryCollection Query(params (string Key, string Value)[] values) =>
        new QueryCollection(values.ToDictionary(v => v.Key, v => new StringValues(v.Value)));

    [Fact]
    public void A_body_names_every_option()
    {
        var options = DeleteOptions.FromBody(JsonNode.Parse("""
            {"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":5,"preconditions":{"uid":"u","resourceVersion":"7"},"propagationPolicy":"Foreground","dryRun":["All"]}
            """));

        Assert.Equal(5, options.GracePeriodSeconds);
        Assert.Equal("u", options.PreconditionUid);
        Assert.Equal("7", options.PreconditionResourceVersion);
        Assert.Equal(Propagation.Foreground, options.Policy);
        Assert.True(options.DryRun);
    }

    [Fact]
    public void The_query_string_serves_when_there_is_no_body()
    {
        var options = DeleteOptions.FromQuery(Query(("gracePeriodSeconds", "0"), ("orphanDependents", "false"), ("dryRun", "All")));

        Assert.Equal(0, options.GracePeriodSeconds);
        Assert.Equal(Propagation.Background, options.Policy);
        Assert.True(options.AcceptedWhenPending);
        Assert.True(options.DryRun);
        Assert.Null(DeleteOptions.FromQuery(Query()).Policy);
    }

    [Theory]
    [InlineData("""{"propagationPolicy":"orphan"}""", "Invalid")]
    [InlineData("""{"propagationPolicy":"Orphan","orphanDependents":false}""", "Invalid")]
    [InlineData("""{"dryRun":["None"]}""", "Invalid")]
    [InlineData("""{"gracePeriodSeconds":1.5}""", "BadRequest")]
    [InlineData("""{"orphanDependents":"yes"}""", "BadRequest")]
    [InlineData("""{"preconditions":{"uid":5}}""", "BadRequest")]
    [InlineData("""{"kind":"Status"}""", "BadRequest")]
    [InlineData("""null""", "BadRequest")]
    public void Bad_bodies_are_refused(string body, string reason)
    {
        Assert.Equal(reason, Assert.Throws<ApiException>(() => DeleteOptions.FromBody(JsonNode.Parse(body))).Reason);
    }
}
