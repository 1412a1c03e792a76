namespace DurableKube.Domain.Patching;

/// <summary>
/// A patch that cannot be applied: malformed JSON, an unknown directive, a merge-keyed list element
/// without its key, a value of the wrong shape, a failed JSON patch <c>test</c> ... The message is worded
/// like the Kubernetes API server's; <see cref="StatusCode"/> says how the API should answer.
/// </summary>
public sealed class PatchException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PatchException"/> class, answered with 422.</summary>
    public PatchException()
        : this("the patch could not be applied")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchException"/> class, answered with 422.</summary>
    /// <param name="message">What is wrong with the patch.</param>
    public PatchException(string message)
        : this(message, StatusUnprocessableEntity)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchException"/> class, answered with 422.</summary>
    /// <param name="message">What is wrong with the patch.</param>
    /// <param name="innerException">The cause.</param>
    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = StatusUnprocessableEntity;
    }

    /// <summary>Initializes a new instance of the <see cref="PatchException"/> class.</summary>
    /// <param name="message">What is wrong with the patch.</param>
    /// <param name="statusCode">The HTTP status the API answers with: 400 or 422.</param>
    public PatchException(string message, int statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>Gets the HTTP status code for <c>Status.code</c>: 400 (BadRequest) for a patch that is not
    /// well-formed, 422 (Invalid) for one that is well-formed but cannot be applied to this object.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the 400 status code (the patch document is malformed).</summary>
    public static int StatusBadRequest => 400;

    /// <summary>Gets the 422 status code (the patch cannot be applied).</summary>
    public static int StatusUnprocessableEntity => 422;

    internal static PatchException BadRequest(string message) => new(message, StatusBadRequest);

    internal static PatchException BadRequest(string message, Exception innerException) =>
        new(message, innerException, StatusBadRequest);

    private PatchException(string message, Exception innerException, int statusCode)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }
}
