namespace DurableKube.Domain.Selectors;

/// <summary>A label or field selector that cannot be parsed or is not supported; the API server answers 400 with its message.</summary>
public sealed class SelectorParseException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="SelectorParseException"/> class.</summary>
    public SelectorParseException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SelectorParseException"/> class.</summary>
    /// <param name="message">The message, worded as the API server words it.</param>
    public SelectorParseException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SelectorParseException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SelectorParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
