namespace DurableKube.Runtime.Process.State;

/// <summary>
/// How a run ended, as its <c>exit</c> file says: the exit code on the first line, then an optional reason
/// and message (written only by the runtime). The file's modification time is the finish time.
/// </summary>
/// <param name="ExitCode">The exit code (128 + signal when a signal ended the run).</param>
/// <param name="Reason">A reason, or <see langword="null"/>.</param>
/// <param name="Message">A message, or <see langword="null"/>.</param>
/// <param name="FinishedAt">When the run ended.</param>
internal sealed record ExitRecord(int ExitCode, string? Reason, string? Message, DateTimeOffset FinishedAt);
