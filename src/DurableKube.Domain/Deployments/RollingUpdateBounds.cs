using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Deployments;

/// <summary>
/// How far a rolling update may go above and below a Deployment's replicas (deployment_util.go <c>ResolveFenceposts</c>,
/// <c>MaxSurge</c>, <c>MaxUnavailable</c>; apimachinery <c>GetScaledValueFromIntOrPercent</c>): a percentage of the
/// replicas, surge rounded up and unavailable rounded down; when both come to 0, one pod may be unavailable.
/// </summary>
public static class RollingUpdateBounds
{
    /// <summary>The strategy that replaces pods a few at a time (the default).</summary>
    public const string RollingUpdate = "RollingUpdate";

    /// <summary>The strategy that stops every old pod before starting new ones.</summary>
    public const string Recreate = "Recreate";

    /// <summary>Resolves an int or a percentage of <paramref name="total"/>.</summary>
    /// <param name="value">The value: an integer, or digits and a percent sign; <see langword="null"/> is 0.</param>
    /// <param name="total">What a percentage is of.</param>
    /// <param name="roundUp">Whether a fraction rounds up (surge) or down (unavailable).</param>
    /// <returns>The number, or <see langword="null"/> for a value that is neither (validation refuses it).</returns>
    public static int? Scaled(IntOrString? value, int total, bool roundUp)
    {
        var text = value?.Value;
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        if (PercentOf(text) is not { } percent)
        {
            return null;
        }

        var scaled = (decimal)percent * total / 100;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }

    /// <summary>The number of a percentage (<c>25%</c> is 25), or <see langword="null"/> when the text is not one.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The percentage.</returns>
    public static int? PercentOf(string? text) =>
        text is { Length: > 1 } && text[^1] == '%' && text[..^1].All(char.IsAsciiDigit)
            && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
            ? percent
            : null;

    /// <summary>Resolves max surge and max unavailable against the desired replicas (<c>ResolveFenceposts</c>).</summary>
    /// <param name="maxSurge">The max surge.</param>
    /// <param name="maxUnavailable">The max unavailable.</param>
    /// <param name="desired">The desired replicas.</param>
    /// <returns>Both, as numbers of pods; never both 0.</returns>
    public static (int Surge, int Unavailable) Resolve(IntOrString? maxSurge, IntOrString? maxUnavailable, int desired)
    {
        var surge = Scaled(maxSurge, desired, roundUp: true) ?? 0;
        var unavailable = Scaled(maxUnavailable, desired, roundUp: false) ?? 0;
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    /// <summary>Whether the Deployment rolls (rather than recreates).</summary>
    /// <param name="deployment">The Deployment.</param>
    /// <returns>Whether its strategy is RollingUpdate.</returns>
    public static bool IsRolling(V1Deployment deployment) => deployment?.Spec?.Strategy?.Type is null or RollingUpdate;

    /// <summary>How many pods above its replicas the Deployment may run (<c>MaxSurge</c>); 0 for Recreate.</summary>
    /// <param name="deployment">The Deployment.</param>
    /// <returns>The surge.</returns>
    public static int MaxSurge(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (!IsRolling(deployment))
        {
            return 0;
        }

        var rolling = deployment.Spec.Strategy?.RollingUpdate;
        return Resolve(rolling?.MaxSurge, rolling?.MaxUnavailable, DeploymentSync.Replicas(deployment)).Surge;
    }

    /// <summary>How many of its replicas may be unavailable (<c>MaxUnavailable</c>): at most the replicas; 0 for Recreate.</summary>
    /// <param name="deployment">The Deployment.</param>
    /// <returns>The number.</returns>
    public static int MaxUnavailable(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var replicas = DeploymentSync.Replicas(deployment);
        if (!IsRolling(deployment) || replicas == 0)
        {
            return 0;
        }

        var rolling = deployment.Spec.Strategy?.RollingUpdate;
        return Math.Min(Resolve(rolling?.MaxSurge, rolling?.MaxUnavailable, replicas).Unavailable, replicas);
    }
}
