namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The body of the exec endpoint (POST <c>/containers/{container}/exec</c>).</summary>
public sealed class ContainerExecRequest
{
    /// <summary>Gets or sets the command line to run: one string, as ACI takes it.</summary>
    public string? Command { get; set; }

    /// <summary>Gets or sets the size of the terminal the command runs on.</summary>
    public ContainerExecTerminalSize? TerminalSize { get; set; }
}

/// <summary>The terminal size of an exec request.</summary>
public sealed class ContainerExecTerminalSize
{
    /// <summary>Gets or sets the rows.</summary>
    public int Rows { get; set; }

    /// <summary>Gets or sets the columns.</summary>
    public int Cols { get; set; }
}

/// <summary>The answer of the exec endpoint: where to connect, and the password to send first.</summary>
public sealed class ContainerExecResponse
{
    /// <summary>Gets or sets the WebSocket address of the session.</summary>
    public Uri? WebSocketUri { get; set; }

    /// <summary>Gets or sets the password the session expects as its first message.</summary>
    public string? Password { get; set; }
}
