using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get configmaps</c> and <c>kubectl get secrets</c> show (printers.go, printConfigMap and printSecret).</summary>
public static class ConfigPrinter
{
    /// <summary>Gets the Table columns for ConfigMaps.</summary>
    public static IReadOnlyList<PrinterColumn> ConfigMapColumns { get; } =
    [
        TablePrinter.NameColumn,
        new("Data", "integer", string.Empty, 0, "Data contains the configuration data."),
        TablePrinter.AgeColumn,
    ];

    /// <summary>Gets the Table columns for Secrets.</summary>
    public static IReadOnlyList<PrinterColumn> SecretColumns { get; } =
    [
        TablePrinter.NameColumn,
        new("Type", "string", string.Empty, 0, "The type of the secret"),
        new("Data", "integer", string.Empty, 0, "The number of entries in the secret"),
        TablePrinter.AgeColumn,
    ];

    /// <summary>Computes the row of a ConfigMap: DATA counts the keys of <c>data</c> and <c>binaryData</c>.</summary>
    /// <param name="configMap">The ConfigMap.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells.</returns>
    public static IReadOnlyList<object> ConfigMapCells(V1ConfigMap configMap, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        return
        [
            configMap.Metadata?.Name ?? string.Empty,
            (long)((configMap.Data?.Count ?? 0) + (configMap.BinaryData?.Count ?? 0)),
            HumanDuration.Since(configMap.Metadata?.CreationTimestamp, now),
        ];
    }

    /// <summary>Computes the row of a Secret: its type and the number of keys of <c>data</c>.</summary>
    /// <param name="secret">The Secret.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells.</returns>
    public static IReadOnlyList<object> SecretCells(V1Secret secret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return
        [
            secret.Metadata?.Name ?? string.Empty,
            secret.Type ?? string.Empty,
            (long)(secret.Data?.Count ?? 0),
            HumanDuration.Since(secret.Metadata?.CreationTimestamp, now),
        ];
    }
}
