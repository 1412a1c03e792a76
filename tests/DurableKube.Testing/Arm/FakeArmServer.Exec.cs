using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Testing.Arm;

/// <summary>
/// The fake ARM server's exec API, as ACI serves it: POST <c>/containers/{c}/exec</c> answers a WebSocket address and a
/// password; the socket expects the password first, then carries a terminal's text both ways. A shell (<c>sh</c>,
/// <c>bash</c>, <c>/bin/sh</c>...) is a toy: it says <c>{command}: ready</c>, echoes what is typed, answers each line
/// with <c>{command}: {line}</c>, and ends the session on <c>exit</c> or Ctrl-D. Any other command says
/// <c>{command}: ran</c> and ends.
/// </summary>
public sealed partial class FakeArmServer
{
    private readonly Dictionary<string, FakeExecSession> _execSessions = new(StringComparer.Ordinal);

    /// <summary>Gets the exec sessions asked for, oldest first.</summary>
    public IReadOnlyList<FakeExecSession> ExecSessions
    {
        get
        {
            lock (_gate)
            {
                return [.. _execSessions.Values.OrderBy(session => session.Sequence)];
            }
        }
    }

    [GeneratedRegex("^/fake-exec/(?<id>[0-9a-f]+)$")]
    private static partial Regex ExecSessionPath();

    private Answer Exec(FakeContainerGroup group, string container, JsonNode? body, DateTimeOffset now)
    {
        var run = group.Timeline(now, Options, ScriptOf).FirstOrDefault(run => run.Name == container);
        if (run is null)
        {
            return new Answer(404, Error("ContainerNotFound", $"The container '{container}' is not found in container group '{group.Name}'."));
        }

        if (run.State != "Running")
        {
            return new Answer(409, Error("ContainerNotRunning", $"The container '{container}' in container group '{group.Name}' is not running."));
        }

        var command = body?["command"]?.GetValue<string>() ?? "";
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
        _execSessions[id] = new FakeExecSession(_execSessions.Count, group.Name, container, command, password)
        {
            Columns = body?["terminalSize"]?["cols"]?.GetValue<int>() ?? 0,
            Rows = body?["terminalSize"]?["rows"]?.GetValue<int>() ?? 0,
        };
        return new Answer(200, new JsonObject
        {
            ["webSocketUri"] = $"wss://{Endpoint.Authority}/fake-exec/{id}",
            ["password"] = password,
        });
    }

    private async Task RunExecSessionAsync(HttpContext context, string id)
    {
        FakeExecSession? session;
        lock (_gate)
        {
            _execSessions.TryGetValue(id, out session);
        }

        if (session is null || !context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        var first = await socket.ReceiveAsync(buffer, context.RequestAborted);
        if (first.MessageType != WebSocketMessageType.Text || Encoding.UTF8.GetString(buffer, 0, first.Count) != session.Password)
        {
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "wrong password", CancellationToken.None);
            return;
        }

        async Task SayAsync(string text) => await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, context.RequestAborted);
        if (Path.GetFileName(session.Command) is not ("sh" or "bash" or "ash"))
        {
            await SayAsync($"{session.Command}: ran\r\n");
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }

        await SayAsync($"{session.Command}: ready\r\n");
        var line = new StringBuilder();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            foreach (var c in Encoding.UTF8.GetString(buffer, 0, received.Count))
            {
                lock (_gate)
                {
                    session.Input.Append(c);
                }

                if (c == '\u0004')
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                if (c is '\r' or '\n')
                {
                    var typed = line.ToString();
                    line.Clear();
                    if (typed == "exit")
                    {
                        await SayAsync("\r\n");
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    await SayAsync($"\r\n{session.Command}: {typed}\r\n");
                    continue;
                }

                line.Append(c);
                await SayAsync(c.ToString());
            }
        }
    }
}

/// <summary>An exec session the fake ARM server handed out.</summary>
/// <param name="Sequence">Its place among the sessions.</param>
/// <param name="Group">The container group.</param>
/// <param name="Container">The container.</param>
/// <param name="Command">The command line asked for.</param>
/// <param name="Password">The password the session expects first.</param>
public sealed record FakeExecSession(int Sequence, string Group, string Container, string Command, string Password)
{
    /// <summary>Gets the terminal's columns asked for.</summary>
    public int Columns { get; init; }

    /// <summary>Gets the terminal's rows asked for.</summary>
    public int Rows { get; init; }

    /// <summary>Gets what was typed into the session.</summary>
    public StringBuilder Input { get; } = new();
}
