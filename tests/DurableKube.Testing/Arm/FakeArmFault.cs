namespace DurableKube.Testing.Arm;

/// <summary>A fault the <see cref="FakeArmServer"/> injects into a request instead of (or before) answering it.</summary>
public abstract record FakeArmFault
{
    private FakeArmFault()
    {
    }

    /// <summary>429 Too Many Requests with <c>Retry-After</c> in whole seconds, as ARM throttles.</summary>
    /// <param name="retryAfter">The wait ARM asks for.</param>
    /// <returns>The fault.</returns>
    public static FakeArmFault Throttle(TimeSpan retryAfter) => new Answer(429, "TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.", retryAfter);

    /// <summary>A server error: 500 <c>InternalServerError</c>, 503 <c>ServiceUnavailable</c>, 502, 504...</summary>
    /// <param name="status">The status.</param>
    /// <returns>The fault.</returns>
    public static FakeArmFault ServerError(int status = 500) =>
        new Answer(status, status == 503 ? "ServiceUnavailable" : "InternalServerError", "The server encountered an internal error. Please retry the request.", null);

    /// <summary><c>ContainerGroupQuotaReached</c> (409), as ARM refuses a group over the region's quota.</summary>
    /// <returns>The fault.</returns>
    public static FakeArmFault QuotaReached() =>
        new Answer(409, "ContainerGroupQuotaReached", "Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota 'StandardCores' exceeded in region 'westeurope'. Limit: '100', Usage: '100' Requested: '1'.", null);

    /// <summary>ACI's capacity refusal: code <c>ServiceUnavailable</c> in a 409, "the requested resource is not available".</summary>
    /// <returns>The fault.</returns>
    public static FakeArmFault NoCapacity() =>
        new Answer(409, "ServiceUnavailable", "The requested resource is not available in the location 'westeurope' at this moment. Please retry with a different resource request or in another location. Resources requested: '1' CPU '1.5' GB memory 'Linux' OS", null);

    /// <summary>Any error answer in ARM's shape.</summary>
    /// <param name="status">The status.</param>
    /// <param name="code">ARM's code.</param>
    /// <param name="message">ARM's message.</param>
    /// <returns>The fault.</returns>
    public static FakeArmFault Error(int status, string code, string message) => new Answer(status, code, message, null);

    /// <summary>Answer normally, but only after a while (a client with a shorter timeout gives up).</summary>
    /// <param name="delay">How long to wait first.</param>
    /// <returns>The fault.</returns>
    public static FakeArmFault Slow(TimeSpan delay) => new Delay(delay);

    /// <summary>Drop the connection without answering.</summary>
    /// <returns>The fault.</returns>
    public static FakeArmFault Drop() => new DropConnection();

    /// <summary>An error answer.</summary>
    /// <param name="Status">The status.</param>
    /// <param name="Code">ARM's error code.</param>
    /// <param name="Message">ARM's message.</param>
    /// <param name="RetryAfter">The <c>Retry-After</c> sent, if any.</param>
    public sealed record Answer(int Status, string Code, string Message, TimeSpan? RetryAfter) : FakeArmFault;

    /// <summary>A slow answer.</summary>
    /// <param name="Time">How long before the answer.</param>
    public sealed record Delay(TimeSpan Time) : FakeArmFault;

    /// <summary>A dropped connection.</summary>
    public sealed record DropConnection : FakeArmFault;
}
