using System.ComponentModel.DataAnnotations;
using k8s.Models;

namespace DurableKube.Workflows.Nodes;

/// <summary>Reads a taint written as <c>kubectl taint</c> takes it: <c>key[=value]:Effect</c>.</summary>
public static class TaintSyntax
{
    private static readonly string[] Effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    /// <summary>Parses one taint.</summary>
    /// <param name="text">e.g. <c>dedicated=aci:NoSchedule</c>.</param>
    /// <returns>The taint.</returns>
    /// <exception cref="FormatException">The text is not a taint.</exception>
    public static V1Taint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !Effects.Contains(text[(colon + 1)..], StringComparer.Ordinal))
        {
            throw new FormatException($"\"{text}\" is not a taint: write key[=value]:Effect, the effect one of {string.Join(", ", Effects)}.");
        }

        var keyValue = text[..colon];
        var equals = keyValue.IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? keyValue : keyValue[..equals];
        if (key.Length == 0)
        {
            throw new FormatException($"\"{text}\" is not a taint: its key is empty.");
        }

        return new V1Taint { Key = key, Value = equals < 0 ? null : keyValue[(equals + 1)..], Effect = text[(colon + 1)..] };
    }
}

/// <summary>Validates a list of taints written as <c>key[=value]:Effect</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TaintListAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        foreach (var text in value as IEnumerable<string> ?? [])
        {
            try
            {
                TaintSyntax.Parse(text);
            }
            catch (FormatException e)
            {
                return new ValidationResult(e.Message);
            }
        }

        return ValidationResult.Success;
    }
}
