namespace DurableKube.Api.Resources;

/// <summary>The <c>fieldValidation</c> query parameter: what to do with unknown and duplicate fields.</summary>
internal enum FieldValidation
{
    /// <summary>Drop them silently.</summary>
    Ignore,

    /// <summary>Drop them and say so in <c>Warning</c> headers (the default).</summary>
    Warn,

    /// <summary>Refuse the request (400).</summary>
    Strict,
}
