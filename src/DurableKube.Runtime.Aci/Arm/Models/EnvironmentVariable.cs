namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>An environment variable: a plain value, or a secure one ARM never returns.</summary>
public sealed class EnvironmentVariable
{
    /// <summary>Gets or sets the name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the value, when it is not secret.</summary>
    public string? Value { get; set; }

    /// <summary>Gets or sets the secret value (write only: GET leaves it out).</summary>
    public string? SecureValue { get; set; }
}
