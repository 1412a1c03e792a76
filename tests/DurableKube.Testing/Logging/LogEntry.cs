using Microsoft.Extensions.Logging;

namespace DurableKube.Testing.Logging;

/// <summary>One entry a <see cref="RecordingLoggerProvider"/> recorded.</summary>
/// <param name="Category">The logger's category.</param>
/// <param name="Level">The level.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
/// <param name="State">The structured values of the message (its template's holes and <c>{OriginalFormat}</c>), by name, ignoring case.</param>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> State)
{
    /// <summary>Gets one structured value as text, or <see langword="null"/> if the entry has none by that name.</summary>
    /// <param name="name">The name of the value in the message template.</param>
    /// <returns>The value as text.</returns>
    public string? Value(string name) => State.TryGetValue(name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
