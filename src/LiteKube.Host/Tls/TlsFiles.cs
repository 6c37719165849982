using System.Security.Cryptography;

namespace LiteKube.Host.Tls;

/// <summary>Reads and writes the PEM files under <c>&lt;data-dir&gt;/tls</c>. Writes go to a
/// temporary file that is renamed into place, so a crash never leaves half a key that the next
/// start would trust; private keys are created with mode 0600 from the first byte.</summary>
internal static class TlsFiles
{
    public static string? ReadIfExists(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"reading {path}: {ServerHost.OneLine(e.Message)}; make it readable by the server", e);
        }
    }

    public static void Write(string path, string text, bool secret)
    {
        var temporary = $"{path}.tmp-{Environment.ProcessId}";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = secret
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            }
            using (var writer = new StreamWriter(temporary, options))
            {
                writer.Write(text);
                writer.Flush();
                ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new ServerStartupException($"writing {path}: {ServerHost.OneLine(e.Message)}; make {Path.GetDirectoryName(path)} writable by the server", e);
        }
    }

    /// <summary>The certificate with its private key; each file is checked on its own so that
    /// the error names the damaged one.</summary>
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadPair(string certificatePath, string certificatePem, string keyPath, string keyPem, string remedy)
    {
        Parse(certificatePath, remedy, () => System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificatePem)).Dispose();
        Parse(keyPath, remedy, () =>
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(keyPem);
            return true;
        });
        try
        {
            // Checks that the key belongs to the certificate.
            return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException e)
        {
            throw new ServerStartupException($"reading {keyPath}: it is not the key of {certificatePath}; {remedy}", e);
        }
    }

    /// <summary>Runs <paramref name="parse"/> on a file's text; a parse failure names the file
    /// and says what to do (<paramref name="remedy"/>).</summary>
    public static T Parse<T>(string path, string remedy, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
        {
            throw new ServerStartupException($"reading {path}: not a valid PEM certificate or key ({ServerHost.OneLine(e.Message)}); {remedy}", e);
        }
    }
}
