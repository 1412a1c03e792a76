using System.Globalization;
using System.Text;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Logs;

/// <summary>
/// The CRI log format the kubelet reads (and containerd writes): one record per line,
/// <c>&lt;RFC3339Nano time&gt; &lt;stdout|stderr&gt; &lt;F|P&gt; &lt;content&gt;</c>, where P marks a piece of a
/// line that goes on in the next record (a line longer than 16 KiB, or a last line without a newline).
/// </summary>
internal static class CriLog
{
    /// <summary>The longest content of one record, as containerd's default.</summary>
    public const int MaxContentBytes = 16 * 1024;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Formats a time like Go's RFC3339Nano (UTC, trailing zeros of the fraction dropped).</summary>
    /// <param name="time">The time.</param>
    /// <returns>The text.</returns>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Appends one record.</summary>
    /// <param name="output">Where to.</param>
    /// <param name="time">When the content was seen.</param>
    /// <param name="stream"><c>stdout</c> or <c>stderr</c>.</param>
    /// <param name="complete">Whether the content ends a line.</param>
    /// <param name="content">The content, without a newline.</param>
    public static void AppendRecord(Stream output, DateTimeOffset time, string stream, bool complete, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Utf8.GetBytes($"{FormatTime(time)} {stream} {(complete ? 'F' : 'P')} "));
        output.Write(content);
        output.WriteByte((byte)'\n');
    }

    /// <summary>Parses one record (without its newline).</summary>
    /// <param name="record">The record.</param>
    /// <param name="line">The line.</param>
    /// <returns>Whether the record was well formed.</returns>
    public static bool TryParse(string record, out LogLine line)
    {
        ArgumentNullException.ThrowIfNull(record);
        line = default;
        var first = record.IndexOf(' ', StringComparison.Ordinal);
        var second = first < 0 ? -1 : record.IndexOf(' ', first + 1);
        var third = second < 0 ? -1 : record.IndexOf(' ', second + 1);
        if (third < 0
            || !DateTimeOffset.TryParseExact(
                record.AsSpan(0, first),
                TimeFormat,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time))
        {
            return false;
        }

        var stream = record[(first + 1)..second];
        var tag = record.AsSpan(second + 1, third - second - 1);
        if (tag is not ("F" or "P"))
        {
            return false;
        }

        line = new LogLine(time, stream, record[(third + 1)..], tag is "F");
        return true;
    }

    /// <summary>The most bytes of a log read into memory at once: a log is read in pieces this large, never whole.</summary>
    public const int ReadChunkBytes = 1024 * 1024;

    /// <summary>Reads the complete records of a log file from an offset on, at most <paramref name="maxBytes"/> of them.</summary>
    /// <param name="path">The log file.</param>
    /// <param name="offset">Where to start (the end of a record).</param>
    /// <param name="lines">The lines read.</param>
    /// <param name="maxBytes">The most bytes to read; a record is far shorter (<see cref="MaxContentBytes"/> and its prefix).</param>
    /// <returns>The offset after the last complete record read: <paramref name="offset"/> when there is none yet.</returns>
    public static long ReadFrom(string path, long offset, List<LogLine> lines, int maxBytes = ReadChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(lines);
        byte[] data;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length <= offset)
            {
                return offset;
            }

            file.Position = offset;
            data = new byte[(int)Math.Min(file.Length - offset, maxBytes)];
            file.ReadExactly(data);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return offset;
        }

        var end = Array.LastIndexOf(data, (byte)'\n');
        if (end < 0 && data.Length == maxBytes)
        {
            // No record ends within a whole read: not a record this log's writer wrote. Skip it rather than read on.
            return offset + data.Length;
        }

        var start = 0;
        while (start <= end)
        {
            var newline = Array.IndexOf(data, (byte)'\n', start);
            if (TryParse(Utf8.GetString(data, start, newline - start), out var line))
            {
                lines.Add(line);
            }

            start = newline + 1;
        }

        return offset + end + 1;
    }
}
