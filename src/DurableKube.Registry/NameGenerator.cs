namespace DurableKube.Registry;

/// <summary>Makes names from a <c>generateName</c> prefix as the API server does: the prefix (cut to 58) and 5 random characters.</summary>
public static class NameGenerator
{
    private const int MaxPrefixLength = 58;
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Makes a name from a prefix.</summary>
    /// <param name="prefix">The generateName prefix.</param>
    /// <returns>The prefix and five random characters.</returns>
    public static string Generate(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > MaxPrefixLength)
        {
            prefix = prefix[..MaxPrefixLength];
        }

        return string.Create(prefix.Length + 5, prefix, (span, p) =>
        {
            p.AsSpan().CopyTo(span);
            for (var i = p.Length; i < span.Length; i++)
            {
                span[i] = Alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
    }
}
