namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record ProcessOutput(int ExitCode, string StandardOutput, string StandardError)
{
    public string[] StandardErrorLines =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() =>
        $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
