namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>ARM's error body: <c>{"error": {"code", "message"}}</c>.</summary>
public sealed class ArmErrorResponse
{
    /// <summary>Gets or sets the error.</summary>
    public ArmErrorDetail? Error { get; set; }
}
