namespace DurableKube.Domain.Controllers;

/// <summary>What claiming does to one object.</summary>
public enum ClaimAction
{
    /// <summary>Leave it: another controller's, or not a candidate.</summary>
    Ignore,

    /// <summary>It is the controller's and stays so.</summary>
    Keep,

    /// <summary>An orphan the selector matches: the controller adopts it (adds its controller reference).</summary>
    Adopt,

    /// <summary>The controller's, but the selector no longer matches: the controller releases it (removes its reference).</summary>
    Release,
}
