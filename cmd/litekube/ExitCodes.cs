namespace LiteKube.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command was understood but failed (bad setting, startup step failed).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong (unknown verb or flag, missing value).</summary>
    public const int Usage = 2;
}
