namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>An ARM error: a code a program can test and a message for people.</summary>
public sealed class ArmErrorDetail
{
    /// <summary>Gets or sets the code, e.g. <c>ContainerGroupQuotaReached</c>.</summary>
    public string? Code { get; set; }

    /// <summary>Gets or sets the message.</summary>
    public string? Message { get; set; }

    /// <summary>Gets or sets the nested errors, if any.</summary>
    public List<ArmErrorDetail>? Details { get; set; }
}
