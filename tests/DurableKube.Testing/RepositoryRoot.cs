namespace DurableKube.Testing;

/// <summary>Finds the repository's root folder (the one holding Functions.sln) from a test's output folder.</summary>
public static class RepositoryRoot
{
    /// <summary>Gets the repository root.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Functions.sln above {AppContext.BaseDirectory}: tests must run from the repository.");
    }
}
