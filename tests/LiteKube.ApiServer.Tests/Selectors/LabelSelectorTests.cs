using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Selectors;

namespace LiteKube.ApiServer.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["replicas"] = "3" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app=db", false)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing", true)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (db, web)", true)]
    [InlineData("app notin (db,web)", false)]
    [InlineData("missing notin (a)", true)]
    [InlineData("app=web,tier=front", true)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("app in (web),tier notin (back)", true)]
    [InlineData("replicas>2", true)]
    [InlineData("replicas<3", false)]
    public void Requirements_match_as_upstream_evaluates_them(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Web));

    [Theory]
    [InlineData("app in web")]
    [InlineData("app=we b")]
    [InlineData("-app=x")]
    [InlineData("app=x,")]
    [InlineData("replicas>x")]
    [InlineData("app is web")]
    public void Malformed_selectors_are_a_bad_request(string selector)
    {
        var error = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Code);
        Assert.Contains("unable to parse requirement", error.Message);
    }
}
