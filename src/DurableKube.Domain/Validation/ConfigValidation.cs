using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;

namespace DurableKube.Domain.Validation;

/// <summary>
/// The API server's validation of ConfigMaps and Secrets (pkg/apis/core/validation: <c>ValidateConfigMap</c>,
/// <c>ValidateSecret</c> and their updates), with Kubernetes' messages and field paths.
/// </summary>
public static partial class ConfigValidation
{
    /// <summary>The most a ConfigMap's or a Secret's data may hold, in bytes (<c>core.MaxSecretSize</c>, 1 MiB).</summary>
    public const int MaxSize = 1024 * 1024;

    /// <summary>The message of a change to a ConfigMap or Secret marked immutable.</summary>
    public const string ImmutableMessage = "field is immutable when `immutable` is set";

    /// <summary>The value a Status shows in place of a Secret's content.</summary>
    public const string Redacted = "<secret contents redacted>";

    /// <summary>The Secret types with rules of their own, and the keys they need.</summary>
    public static class SecretTypes
    {
        /// <summary>Arbitrary data (the default).</summary>
        public const string Opaque = "Opaque";

        /// <summary>A service account token, filled in by the token controller.</summary>
        public const string ServiceAccountToken = "kubernetes.io/service-account-token";

        /// <summary>A legacy <c>~/.dockercfg</c>, under <c>.dockercfg</c>.</summary>
        public const string Dockercfg = "kubernetes.io/dockercfg";

        /// <summary>A <c>~/.docker/config.json</c>, under <c>.dockerconfigjson</c>.</summary>
        public const string DockerConfigJson = "kubernetes.io/dockerconfigjson";

        /// <summary>A user name and password.</summary>
        public const string BasicAuth = "kubernetes.io/basic-auth";

        /// <summary>An SSH private key.</summary>
        public const string SshAuth = "kubernetes.io/ssh-auth";

        /// <summary>A TLS certificate and its key.</summary>
        public const string Tls = "kubernetes.io/tls";
    }

    /// <summary>Checks a key of a ConfigMap's or Secret's data (<c>IsConfigMapKey</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The failure messages.</returns>
    public static IReadOnlyList<string> IsConfigMapKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var errors = new List<string>();
        if (key.Length > 253)
        {
            errors.Add(NameValidation.MaxLengthError(253));
        }

        if (!ConfigMapKey().IsMatch(key))
        {
            errors.Add(NameValidation.RegexError(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'", "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name"));
        }

        if (key == ".")
        {
            errors.Add("must not be '.'");
        }
        else if (key == "..")
        {
            errors.Add("must not be '..'");
        }
        else if (key.StartsWith("..", StringComparison.Ordinal))
        {
            errors.Add("must not start with '..'");
        }

        return errors;
    }

    /// <summary>Checks a ConfigMap's content (<c>ValidateConfigMap</c>, less the metadata).</summary>
    /// <param name="configMap">The ConfigMap.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateConfigMap(V1ConfigMap configMap)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        var errors = new List<FieldError>();
        long total = 0;
        foreach (var (key, value) in configMap.Data ?? new Dictionary<string, string>())
        {
            errors.AddRange(IsConfigMapKey(key).Select(m => FieldError.Invalid("data".Key(key), key, m)));
            if (configMap.BinaryData?.ContainsKey(key) == true)
            {
                errors.Add(FieldError.Invalid("data".Key(key), key, "duplicate of key present in binaryData"));
            }

            total += Encoding.UTF8.GetByteCount(value ?? string.Empty);
        }

        foreach (var (key, value) in configMap.BinaryData ?? new Dictionary<string, byte[]>())
        {
            errors.AddRange(IsConfigMapKey(key).Select(m => FieldError.Invalid("binaryData".Key(key), key, m)));
            total += value?.Length ?? 0;
        }

        if (total > MaxSize)
        {
            errors.Add(TooLong(string.Empty));
        }

        return errors;
    }

    /// <summary>Checks an update of a ConfigMap (<c>ValidateConfigMapUpdate</c>, less the metadata): an immutable one keeps its data.</summary>
    /// <param name="configMap">The new ConfigMap.</param>
    /// <param name="old">The stored one.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateConfigMapUpdate(V1ConfigMap configMap, V1ConfigMap old)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>();
        if (old.Immutable == true)
        {
            if (configMap.Immutable != true)
            {
                errors.Add(FieldError.Forbidden("immutable", ImmutableMessage));
            }

            if (!SameStrings(configMap.Data, old.Data))
            {
                errors.Add(FieldError.Forbidden("data", ImmutableMessage));
            }

            if (!SameBytes(configMap.BinaryData, old.BinaryData))
            {
                errors.Add(FieldError.Forbidden("binaryData", ImmutableMessage));
            }
        }

        errors.AddRange(ValidateConfigMap(configMap));
        return errors;
    }

    /// <summary>Checks a Secret's content and the keys its type needs (<c>ValidateSecret</c>, less the metadata).</summary>
    /// <param name="secret">The Secret, its <c>stringData</c> already merged into <c>data</c>.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSecret(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var errors = new List<FieldError>();
        var data = secret.Data ?? new Dictionary<string, byte[]>();
        long total = 0;
        foreach (var (key, value) in data)
        {
            errors.AddRange(IsConfigMapKey(key).Select(m => FieldError.Invalid("data".Key(key), key, m)));
            total += value?.Length ?? 0;
        }

        if (total > MaxSize)
        {
            errors.Add(TooLong("data"));
        }

        switch (secret.Type)
        {
            case SecretTypes.ServiceAccountToken:
                if (secret.Metadata?.Annotations?.TryGetValue("kubernetes.io/service-account.name", out var account) != true || string.IsNullOrEmpty(account))
                {
                    errors.Add(FieldError.Required("metadata.annotations".Key("kubernetes.io/service-account.name")));
                }

                break;
            case SecretTypes.Dockercfg:
                RequireJson(data, ".dockercfg", errors);
                break;
            case SecretTypes.DockerConfigJson:
                RequireJson(data, ".dockerconfigjson", errors);
                break;
            case SecretTypes.BasicAuth:
                // Either may be empty, but one of them must be there.
                if (!data.ContainsKey("username") && !data.ContainsKey("password"))
                {
                    errors.Add(FieldError.Required("data".Key("username")));
                    errors.Add(FieldError.Required("data".Key("password")));
                }

                break;
            case SecretTypes.SshAuth:
                if (!data.TryGetValue("ssh-privatekey", out var key) || key is not { Length: > 0 })
                {
                    errors.Add(FieldError.Required("data".Key("ssh-privatekey")));
                }

                break;
            case SecretTypes.Tls:
                if (!data.ContainsKey("tls.crt"))
                {
                    errors.Add(FieldError.Required("data".Key("tls.crt")));
                }

                if (!data.ContainsKey("tls.key"))
                {
                    errors.Add(FieldError.Required("data".Key("tls.key")));
                }

                break;
            default:
                break;
        }

        return errors;
    }

    /// <summary>Checks an update of a Secret (<c>ValidateSecretUpdate</c>, less the metadata): its type stays, an immutable one keeps its data.</summary>
    /// <param name="secret">The new Secret.</param>
    /// <param name="old">The stored one.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateSecretUpdate(V1Secret secret, V1Secret old)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>(FieldRules.Immutable(secret.Type, old.Type, "type"));
        if (old.Immutable == true)
        {
            if (secret.Immutable != true)
            {
                errors.Add(FieldError.Forbidden("immutable", ImmutableMessage));
            }

            // stringData was merged into data before validation, so data is all there is to compare.
            if (!SameBytes(secret.Data, old.Data))
            {
                errors.Add(FieldError.Forbidden("data", ImmutableMessage));
            }
        }

        errors.AddRange(ValidateSecret(secret));
        return errors;
    }

    /// <summary>Words what Go's <c>json.Unmarshal</c> into a map says of bytes that are not a JSON object, or <see langword="null"/> when they are one.</summary>
    /// <param name="content">The bytes.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public static string? JsonObjectError(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = Encoding.UTF8.GetString(content).TrimStart(' ', '\t', '\r', '\n');
        if (text.Length == 0)
        {
            return "unexpected end of JSON input";
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Object or JsonValueKind.Null => null,
                JsonValueKind.Array => "json: cannot unmarshal array into Go value of type map[string]interface {}",
                JsonValueKind.String => "json: cannot unmarshal string into Go value of type map[string]interface {}",
                JsonValueKind.Number => "json: cannot unmarshal number into Go value of type map[string]interface {}",
                _ => "json: cannot unmarshal bool into Go value of type map[string]interface {}",
            };
        }
        catch (JsonException)
        {
            return "{[\"-0123456789tfn".Contains(text[0], StringComparison.Ordinal)
                ? "invalid JSON: the content is not a well-formed JSON object"
                : $"invalid character '{text[0]}' looking for beginning of value";
        }
    }

    private static void RequireJson(IDictionary<string, byte[]> data, string key, List<FieldError> errors)
    {
        if (!data.TryGetValue(key, out var content))
        {
            errors.Add(FieldError.Required("data".Key(key)));
            return;
        }

        if (JsonObjectError(content ?? []) is { } why)
        {
            errors.Add(FieldError.Invalid("data".Key(key), Redacted, why));
        }
    }

    private static FieldError TooLong(string field) =>
        new(FieldErrorType.TooLong, field, null, $"must have at most {MaxSize} bytes");

    private static bool SameStrings(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value);

    private static bool SameBytes(IDictionary<string, byte[]>? a, IDictionary<string, byte[]>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a ?? new Dictionary<string, byte[]>()).All(p => b!.TryGetValue(p.Key, out var v) && (v ?? []).AsSpan().SequenceEqual(p.Value ?? []));

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigMapKey();
}
