using LiteKube.ApiServer.Tests.Infrastructure;
using CliWrap.Buffered;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary>Every supported kubectl client, and what differs between them for these tests.</summary>
internal static class KubectlClients
{
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var minor in Enumerable.Range(27, 7))
        {
            data.Add($"/usr/lib/google-cloud-sdk/bin/kubectl.1.{minor}");
        }

        return data;
    }

    public static int Minor(string kubectl) => int.Parse(kubectl[(kubectl.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates an object as the admin with a typed <c>kubectl create</c> command. kubectl
    /// 1.32+ sends those bodies as protobuf, which the generic resource handler does not decode
    /// yet; for those clients the same object is created from <paramref name="manifest"/>.</summary>
    public static async Task AdminCreatesAsync(InProcessApiServer server, string kubectl, string[] typedCommand, string manifest)
    {
        var result = Minor(kubectl) < 32
            ? await server.KubectlAsync(kubectl, null, ["create", .. typedCommand])
            : await server.KubectlAsync(kubectl, manifest, "create", "--validate=false", "-f", "-");
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    public static void Succeeded(BufferedCommandResult result) => Assert.True(result.ExitCode == 0, result.StandardError);
}
