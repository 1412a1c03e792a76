namespace DurableKube.Testing.Arm;

/// <summary>The <see cref="FakeArmServer"/>'s knobs.</summary>
public sealed class FakeArmOptions
{
    /// <summary>Gets or sets how long a new group stays in each provisioning state (Pending, then Creating) before Succeeded and its containers start; also how long a restart, a start and a deletion take.</summary>
    public TimeSpan ProvisioningStep { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the <c>Retry-After</c> the answers that start a long-running operation and its polls carry; <see langword="null"/> sends none.</summary>
    public TimeSpan? OperationRetryAfter { get; set; }

    /// <summary>Gets or sets how many groups a page of a list holds before a <c>nextLink</c>.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Gets or sets how long a failing image pull goes on before the deployment fails (provisioningState Failed).</summary>
    public TimeSpan PullGiveUpAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the exit code of a container that was running when its group was stopped or restarted.</summary>
    public int KilledExitCode { get; set; } = 137;

    /// <summary>Gets or sets the clock.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
