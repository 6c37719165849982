using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Discovery;

/// <summary>The Kubernetes API version whose resources and semantics LiteKube serves.</summary>
public static class ServerVersion
{
    public const string Major = "1";
    public const string Minor = "33";
    public const string GitVersion = "v1.33.0+litekube";

    public static JsonObject Document() => new()
    {
        ["major"] = Major,
        ["minor"] = Minor,
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "",
        ["goVersion"] = "",
        ["compiler"] = "dotnet",
        ["platform"] = $"linux/{(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64")}",
    };
}
