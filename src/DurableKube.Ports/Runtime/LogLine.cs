namespace DurableKube.Ports.Runtime;

/// <summary>One line of a container's output.</summary>
/// <param name="Time">When the runtime saw the line.</param>
/// <param name="Stream"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="Content">The text, without its line ending.</param>
/// <param name="Complete">Whether the line ended with a newline (the last line of a run may not).</param>
public readonly record struct LogLine(DateTimeOffset Time, string Stream, string Content, bool Complete);
