namespace DurableKube.Api.Content;

/// <summary>A request body that is not well-formed JSON or YAML.</summary>
internal sealed class BodyFormatException : Exception
{
    public BodyFormatException()
    {
    }

    public BodyFormatException(string message)
        : base(message)
    {
    }

    public BodyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
