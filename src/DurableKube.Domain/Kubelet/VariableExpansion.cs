using System.Text;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// Kubernetes' <c>$(VAR_NAME)</c> expansion in env values, commands and args
/// (third_party/forked/golang/expansion): a defined variable is replaced by its value, an undefined
/// reference is left as written, <c>$$</c> is an escaped <c>$</c>.
/// </summary>
public static class VariableExpansion
{
    /// <summary>Expands the references in <paramref name="input"/>.</summary>
    /// <param name="input">The text.</param>
    /// <param name="lookup">The value of a variable, or <see langword="null"/> if it is not defined.</param>
    /// <returns>The expanded text.</returns>
    public static string Expand(string input, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lookup);
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return input;
        }

        var output = new StringBuilder(input.Length);
        var i = 0;
        while (i < input.Length)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i]);
                i++;
                continue;
            }

            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i += 2;
            }
            else if (next == '(')
            {
                var close = input.IndexOf(')', i + 2);
                if (close < 0)
                {
                    // No closing parenthesis: not a reference.
                    output.Append("$(");
                    i += 2;
                    continue;
                }

                var name = input[(i + 2)..close];
                output.Append(lookup(name) ?? $"$({name})");
                i = close + 1;
            }
            else
            {
                output.Append('$').Append(next);
                i += 2;
            }
        }

        return output.ToString();
    }
}
