namespace DurableKube.Ports.Runtime;

/// <summary>A runtime operation that failed; <see cref="Transient"/> says whether trying again may help.</summary>
public class ContainerRuntimeException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ContainerRuntimeException"/> class.</summary>
    /// <param name="message">A sentence for the user.</param>
    /// <param name="transient">Whether trying again may help.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ContainerRuntimeException(string message, bool transient, Exception? innerException = null)
        : base(message, innerException) => Transient = transient;

    /// <summary>Gets a value indicating whether trying again may help.</summary>
    public bool Transient { get; }
}
