using System.Globalization;

namespace DurableKube.Bench;

/// <summary>
/// Counts, in Azurite's debug log (<c>--debug</c>), the storage requests it served and the messages put on the change
/// queue, as <c>scripts/pod-cost.sh</c> does; fed the log in chunks as it grows (a chunk may end mid-line). Each
/// request is kept with the time its client sent it (its <c>x-ms-date</c> header, to the second), so a window is
/// counted by when the requests were made: Azurite writes its log behind under load (23 minutes behind, at the end of a
/// run of 500 pods), and stamps each line when it writes it, so neither what had been written by a window's end nor
/// the lines' own times say which requests fell in it. A line without the header counts at its logged time.
/// </summary>
/// <param name="changeQueue">The change queue's name (<c>Storage__ChangeQueue</c>, <c>kube-changes</c> by default).</param>
internal sealed class StorageLogTally(string changeQueue)
{
    private const string RequestMarker = "StorageContextMiddleware: RequestMethod=";
    private const string DateHeader = "\"x-ms-date\":\"";
    private readonly string _messagePost = "RequestMethod=POST RequestURL=";
    private readonly string _messagePath = "/" + changeQueue + "/messages";
    private readonly List<DateTimeOffset> _requestTimes = [];
    private readonly List<DateTimeOffset> _messageTimes = [];
    private string _partial = string.Empty;

    /// <summary>Gets the requests counted so far.</summary>
    public long Requests { get; private set; }

    /// <summary>Gets the change-queue messages (POSTs to the queue's messages) counted so far.</summary>
    public long ChangeMessages { get; private set; }

    /// <summary>Gets the time of the latest request counted (<see cref="DateTimeOffset.MinValue"/> before any).</summary>
    public DateTimeOffset Latest { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The requests and change-queue messages sent at or after <paramref name="from"/> and before <paramref name="to"/>.</summary>
    /// <param name="from">The window's start.</param>
    /// <param name="to">The window's end.</param>
    /// <returns>Requests and messages in the window.</returns>
    public (long Requests, long ChangeMessages) Between(DateTimeOffset from, DateTimeOffset to) =>
        (_requestTimes.Count(t => t >= from && t < to), _messageTimes.Count(t => t >= from && t < to));

    /// <summary>Counts the complete lines of <paramref name="chunk"/>, keeping an unfinished last line for the next chunk.</summary>
    /// <param name="chunk">The next part of the log.</param>
    public void Add(string chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var text = _partial + chunk;
        var start = 0;
        int end;
        while ((end = text.IndexOf('\n', start)) >= 0)
        {
            Count(text.AsSpan(start, end - start));
            start = end + 1;
        }

        _partial = text[start..];
    }

    private void Count(ReadOnlySpan<char> line)
    {
        var at = line.IndexOf(RequestMarker, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        Requests++;
        var time = SentAt(line) ?? LoggedAt(line) ?? Latest;
        Latest = time > Latest ? time : Latest;
        _requestTimes.Add(time);
        var request = line[at..];
        if (request.Contains(_messagePost, StringComparison.Ordinal))
        {
            var url = request[(request.IndexOf(_messagePost, StringComparison.Ordinal) + _messagePost.Length)..];
            var space = url.IndexOf(' ');
            url = space < 0 ? url : url[..space];
            var query = url.IndexOf('?');
            url = query < 0 ? url : url[..query];
            if (url.EndsWith(_messagePath, StringComparison.Ordinal))
            {
                ChangeMessages++;
                _messageTimes.Add(time);
            }
        }
    }

    /// <summary>The request's <c>x-ms-date</c> header (RFC 1123, to the second), as its client stamped it.</summary>
    private static DateTimeOffset? SentAt(ReadOnlySpan<char> line)
    {
        var at = line.IndexOf(DateHeader, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var value = line[(at + DateHeader.Length)..];
        var end = value.IndexOf('"');
        return end > 0 && DateTimeOffset.TryParseExact(value[..end], "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent)
            ? sent
            : null;
    }

    /// <summary>The time Azurite stamped the line with, when it wrote it.</summary>
    private static DateTimeOffset? LoggedAt(ReadOnlySpan<char> line)
    {
        var space = line.IndexOf(' ');
        return space > 0 && DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var logged)
            ? logged
            : null;
    }
}
