using Microsoft.Extensions.Options;

namespace DurableKube.Store.AzureStorage;

/// <summary>Checks the rules of <see cref="AzureStorageOptions"/> that span several settings.</summary>
internal sealed class AzureStorageOptionsValidator : IValidateOptions<AzureStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if ((options.TableServiceUri is null) != (options.QueueServiceUri is null))
        {
            failures.Add("Storage:TableServiceUri and Storage:QueueServiceUri are set together or not at all.");
        }

        foreach (var (setting, uri) in new[] { ("TableServiceUri", options.TableServiceUri), ("QueueServiceUri", options.QueueServiceUri) })
        {
            if (uri is not null && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            {
                failures.Add($"Storage:{setting} must be an absolute http(s) URI, not '{uri}'.");
            }
        }

        if (options.TableServiceUri is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("Storage:ConnectionString is empty and no service URIs are set.");
        }

        if (options.ChangeLogRetention < options.WatchPollInterval * 4)
        {
            failures.Add("Storage:ChangeLogRetention must be at least four watch poll intervals, or watches would expire while polling.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
