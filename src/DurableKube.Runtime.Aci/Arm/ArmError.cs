namespace DurableKube.Runtime.Aci.Arm;

/// <summary>An error ARM answered with.</summary>
/// <param name="Status">The HTTP status (0 when it came in a failed long-running operation's body).</param>
/// <param name="Code">ARM's error code, e.g. <c>ContainerGroupQuotaReached</c>.</param>
/// <param name="Message">ARM's message.</param>
public sealed record ArmError(int Status, string Code, string Message)
{
    private static readonly string[] CapacityCodes =
    [
        "ContainerGroupQuotaReached",
        "InsufficientCapacity",
        "ServiceUnavailable",
        "SkuNotAvailable",
        "ResourceRequestsNotAvailable",
    ];

    private static readonly string[] CapacityCodeParts = ["QuotaReached", "QuotaExceeded", "CoresExceeded", "CoreQuota"];

    /// <summary>
    /// Gets a value indicating whether the error says the region or the subscription has no room now (a quota is
    /// reached, the region lacks capacity): the request is right and will succeed later or elsewhere.
    /// A <c>ServiceUnavailable</c> code counts only in a body that is not itself a 503 answer (ACI reports "the requested
    /// resource is not available in the location" that way); a bare 503 is ARM being briefly unwell and is retried.
    /// </summary>
    public bool IsCapacity =>
        (CapacityCodes.Contains(Code, StringComparer.OrdinalIgnoreCase) && !(Status == 503 && Code.Equals("ServiceUnavailable", StringComparison.OrdinalIgnoreCase)))
        || CapacityCodeParts.Any(part => Code.Contains(part, StringComparison.OrdinalIgnoreCase));

    /// <summary>Gets a value indicating whether trying the same request again later may succeed: throttling, server errors, conflicts with an operation in progress.</summary>
    public bool IsTransient => !IsCapacity && (Status is 408 or 429 or >= 500 || (Status == 409 && !Code.StartsWith("Invalid", StringComparison.OrdinalIgnoreCase)));

    /// <inheritdoc/>
    public override string ToString() => $"{Code}: {Message}";
}
