namespace DurableKube.Testing.Arm;

/// <summary>A request the <see cref="FakeArmServer"/> received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, without the query.</param>
/// <param name="Query">The query string, with its <c>?</c>.</param>
/// <param name="Time">When it came.</param>
/// <param name="Status">The status answered (0 when the connection was dropped).</param>
public sealed record FakeArmRequest(string Method, string Path, string Query, DateTimeOffset Time, int Status)
{
    /// <summary>Gets a value indicating whether it was a read (GET), as ARM's throttling counts it.</summary>
    public bool IsRead => Method == "GET";

    /// <summary>Gets a value indicating whether it was a delete.</summary>
    public bool IsDelete => Method == "DELETE";

    /// <summary>Gets a value indicating whether it was a write (PUT, PATCH, POST).</summary>
    public bool IsWrite => !IsRead && !IsDelete;
}
