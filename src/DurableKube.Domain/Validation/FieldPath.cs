using System.Globalization;

namespace DurableKube.Domain.Validation;

/// <summary>Builds field paths as the API server prints them: <c>spec.containers[0].name</c>, <c>metadata.labels[app]</c>.</summary>
public static class FieldPath
{
    /// <summary>Appends a child field.</summary>
    /// <param name="path">The parent path; empty for the root.</param>
    /// <param name="name">The child's JSON name.</param>
    /// <returns>The path.</returns>
    public static string Child(this string path, string name) => string.IsNullOrEmpty(path) ? name : path + "." + name;

    /// <summary>Appends a list index.</summary>
    /// <param name="path">The list's path.</param>
    /// <param name="index">The index.</param>
    /// <returns>The path.</returns>
    public static string Index(this string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>Appends a map key.</summary>
    /// <param name="path">The map's path.</param>
    /// <param name="key">The key.</param>
    /// <returns>The path.</returns>
    public static string Key(this string path, string key) => path + "[" + key + "]";
}
