using System.Runtime.CompilerServices;

namespace LiteKube.Cli;

/// <summary>Makes RocksDbSharp find its native library inside the single-file binary.</summary>
/// <remarks>The .NET host extracts bundled native libraries to a cache directory
/// (<c>~/.net/litekube/&lt;id&gt;/</c>) and lists it in <c>NATIVE_DLL_SEARCH_DIRECTORIES</c>,
/// but RocksDbSharp's loader only probes the application directory, the current directory and
/// the system library path, so it would not find <c>librocksdb.so</c>. Running its static
/// initialiser once with the extraction directory as current directory makes it load the
/// bundled copy. This runs before any other thread uses the current directory. Outside a
/// single-file bundle (tests, <c>dotnet run</c>) the library is found where it is and nothing
/// changes.</remarks>
public static class RocksDbNativeLibrary
{
    private const string LibraryFile = "librocksdb.so";

    public static void Load()
    {
        var searchDirectories = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var extracted = searchDirectories.FirstOrDefault(directory => File.Exists(Path.Combine(directory, LibraryFile)));
        var previous = Directory.GetCurrentDirectory();
        if (extracted is not null)
        {
            Directory.SetCurrentDirectory(extracted);
        }
        try
        {
            RuntimeHelpers.RunClassConstructor(typeof(RocksDbSharp.Native).TypeHandle);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }
}
