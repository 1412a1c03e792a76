using System.Globalization;
using System.Text;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// The keys of the store's single table partition. Everything lives in one partition so that one
/// entity group transaction can move the resource version counter, write the object row and append
/// the change-log row together.
/// </summary>
/// <remarks>
/// <para>Row keys:</para>
/// <list type="bullet">
/// <item><c>counter</c>: the newest resource version given out, and the head of the change log.</item>
/// <item><c>compacted</c>: the newest resource version whose change-log entry compaction may have removed.</item>
/// <item><c>log!{rv, 20 digits}</c>: one change-log entry per resource version, so key order is commit order.</item>
/// <item><c>obj!{resource}!{namespace}!{name}</c>: one row per object (cluster-scoped objects have an empty namespace).</item>
/// </list>
/// <para>
/// Name parts are escaped so that the separator <c>!</c> sorts below every character a part can hold:
/// ASCII letters, digits, <c>-</c>, <c>.</c>, <c>_</c>, <c>:</c> and <c>~</c> stay as they are, anything else becomes
/// <c>%</c> and four hex digits. So the rows of one namespace are one key range, the rows of one type are
/// one key range, and for the names Kubernetes allows (DNS labels and subdomains) key order is namespace
/// order, then name order.
/// </para>
/// </remarks>
internal static class TableKeys
{
    /// <summary>The one partition every row lives in.</summary>
    public const string Partition = "cluster";

    /// <summary>The row holding the resource version counter.</summary>
    public const string CounterRow = "counter";

    /// <summary>The row holding how far the change log has been compacted.</summary>
    public const string CompactionRow = "compacted";

    /// <summary>The prefix of change-log rows.</summary>
    public const string LogPrefix = "log!";

    /// <summary>The prefix of object rows.</summary>
    public const string ObjectPrefix = "obj!";

    private const char Separator = '!';

    /// <summary>Gets the row key of an object.</summary>
    /// <param name="key">The object.</param>
    /// <returns>The row key.</returns>
    public static string ObjectRow(ObjectKey key) =>
        ObjectPrefix + Escape(key.Type.GroupResource) + Separator + Escape(key.Namespace ?? string.Empty) + Separator + Escape(key.Name);

    /// <summary>Gets the key prefix shared by the rows a list reads.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for every namespace.</param>
    /// <returns>The prefix; it ends with the separator.</returns>
    public static string ListPrefix(ResourceType type, string? @namespace) =>
        ObjectPrefix + Escape(type.GroupResource) + Separator + (@namespace is null ? string.Empty : Escape(@namespace) + Separator);

    /// <summary>Gets the smallest key above every key that starts with <paramref name="prefix"/>.</summary>
    /// <param name="prefix">A prefix ending with the separator.</param>
    /// <returns>The exclusive upper bound of the prefix's range.</returns>
    public static string UpperBound(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    /// <summary>Gets the row key of the change-log entry of a resource version.</summary>
    /// <param name="resourceVersion">The resource version.</param>
    /// <returns>The row key, zero-padded so that key order is numeric order.</returns>
    public static string LogRow(long resourceVersion) =>
        LogPrefix + resourceVersion.ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>Reads the resource version back from a change-log row key.</summary>
    /// <param name="rowKey">A key made by <see cref="LogRow"/>.</param>
    /// <returns>The resource version.</returns>
    public static long ResourceVersionOfLogRow(string rowKey) =>
        long.Parse(rowKey.AsSpan(LogPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Escapes one part of a key.</summary>
    /// <param name="value">The part.</param>
    /// <returns>The escaped part, holding only characters that sort above the separator.</returns>
    public static string Escape(string value)
    {
        if (value.All(IsPlain))
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (IsPlain(c))
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append('%').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    private static bool IsPlain(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_' or ':' or '~';
}
