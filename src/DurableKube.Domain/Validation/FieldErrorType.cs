namespace DurableKube.Domain.Validation;

/// <summary>The kinds of field error the API server reports (apimachinery's <c>field.ErrorType</c>).</summary>
public enum FieldErrorType
{
    /// <summary>A referenced value does not exist (<c>Not found</c>).</summary>
    NotFound,

    /// <summary>A required value is missing (<c>Required value</c>).</summary>
    Required,

    /// <summary>A value that must be unique is repeated (<c>Duplicate value</c>).</summary>
    Duplicate,

    /// <summary>A value is malformed or out of range (<c>Invalid value</c>).</summary>
    Invalid,

    /// <summary>A value is not one of the supported ones (<c>Unsupported value</c>).</summary>
    NotSupported,

    /// <summary>A value may not be set or changed (<c>Forbidden</c>).</summary>
    Forbidden,

    /// <summary>A value is too long (<c>Too long</c>).</summary>
    TooLong,

    /// <summary>A list has too many items (<c>Too many</c>).</summary>
    TooMany,
}
