using DurableKube.Api.Resources;

namespace DurableKube.Api.Streaming;

/// <summary>What an exec or attach request asks for (PodExecOptions, PodAttachOptions).</summary>
/// <param name="Container">The container's name, as asked (may be empty).</param>
/// <param name="Command">The command (exec only).</param>
/// <param name="Stdin">Whether the client sends standard input.</param>
/// <param name="Stdout">Whether the client wants standard output.</param>
/// <param name="Stderr">Whether the client wants standard error (never on a terminal).</param>
/// <param name="Tty">Whether the command runs on a terminal.</param>
internal sealed record StreamingOptions(string? Container, IReadOnlyList<string> Command, bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    /// <summary>Reads the options from the query string.</summary>
    /// <param name="query">The query.</param>
    /// <returns>The options.</returns>
    public static StreamingOptions Parse(Microsoft.AspNetCore.Http.IQueryCollection query)
    {
        var command = query.TryGetValue("command", out var values) ? values.Where(v => v is not null).Select(v => v!).ToList() : [];
        var tty = RequestOptions.Bool(query, "tty");
        return new StreamingOptions(
            RequestOptions.String(query, "container"),
            command,
            RequestOptions.Bool(query, "stdin"),
            RequestOptions.Bool(query, "stdout"),
            RequestOptions.Bool(query, "stderr") && !tty,
            tty);
    }
}
