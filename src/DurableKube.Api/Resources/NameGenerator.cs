namespace DurableKube.Api.Resources;

/// <summary>Makes names from a <c>generateName</c> prefix as the API server does: the prefix (cut to 58) and 5 random characters.</summary>
internal static class NameGenerator
{
    private const int MaxPrefixLength = 58;
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Generate(string prefix)
    {
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
