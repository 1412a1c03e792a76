using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Testing.Logging;
using Microsoft.Extensions.Logging;
using Moq;

namespace DurableKube.Api.Tests.Errors;

/// <summary>A failure nobody foresaw answers a generic 500 naming a correlation id; the details go to the log only.</summary>
public sealed class UnexpectedFailureTests
{
    private const string Secret = "connection to https://secretaccount.table.core.windows.net refused; key=abc123";

    private static async Task<(ApiResponse Response, LogEntry Logged)> ListPodsFailingWithAsync(Exception failure)
    {
        var store = new Mock<IObjectStore>();
        store.Setup(s => s.ListAsync(ResourceTypes.Pods, It.IsAny<string?>(), It.IsAny<ListQuery>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(failure);
        var logs = new RecordingLoggerProvider();
        await using var api = await ApiHost.StartAsync(store: store.Object, logs: logs);

        var response = await api.GetAsync("/api/v1/namespaces/default/pods");

        var logged = Assert.Single(logs.Entries, e => e.Category == typeof(KubernetesApi).FullName && e.Level == LogLevel.Error);
        return (response, logged);
    }

    [Fact]
    public async Task An_unexpected_exception_answers_a_500_status_naming_the_correlation_id_and_nothing_else()
    {
        var (response, _) = await ListPodsFailingWithAsync(new InvalidOperationException(Secret));

        response.AssertStatus(500, "InternalError");
        var id = Assert.Single(response.Headers.GetValues(KubernetesApi.CorrelationIdHeader));
        Assert.False(string.IsNullOrWhiteSpace(id));
        Assert.Equal(
            $"Internal error occurred: an unexpected error happened; the server's log has the details under correlation id {id}",
            response.Message);
        Assert.DoesNotContain("secretaccount", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_entry_carries_the_same_correlation_id_and_the_exception()
    {
        var failure = new InvalidOperationException(Secret);

        var (response, logged) = await ListPodsFailingWithAsync(failure);

        var id = Assert.Single(response.Headers.GetValues(KubernetesApi.CorrelationIdHeader));
        Assert.Equal(id, logged.Value("CorrelationId"));
        Assert.Same(failure, logged.Exception);
        Assert.Equal("GET", logged.Value("Method"));
        Assert.Equal("/api/v1/namespaces/default/pods", logged.Value("Path"));
        Assert.Contains(id, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_failure_gets_its_own_correlation_id()
    {
        var (first, _) = await ListPodsFailingWithAsync(new InvalidOperationException(Secret));
        var (second, _) = await ListPodsFailingWithAsync(new InvalidOperationException(Secret));

        Assert.NotEqual(first.Headers.GetValues(KubernetesApi.CorrelationIdHeader).Single(), second.Headers.GetValues(KubernetesApi.CorrelationIdHeader).Single());
    }

    [Fact]
    public async Task A_store_error_the_api_cannot_map_is_answered_as_an_unexpected_failure()
    {
        // A kind the handler does not know (added to the store later), or one without the object it names.
        var failure = new StoreException((StoreErrorKind)999, null, Secret);

        var (response, logged) = await ListPodsFailingWithAsync(failure);

        response.AssertStatus(500, "InternalError");
        Assert.DoesNotContain("secretaccount", response.Body, StringComparison.Ordinal);
        Assert.Equal(response.Headers.GetValues(KubernetesApi.CorrelationIdHeader).Single(), logged.Value("CorrelationId"));
        Assert.Same(failure, logged.Exception);
    }

    [Fact]
    public async Task A_store_error_the_api_knows_keeps_its_kubernetes_status_without_a_correlation_id()
    {
        var failure = new StoreException(StoreErrorKind.InvalidContinue, null, "continue token is not valid");
        var store = new Mock<IObjectStore>();
        store.Setup(s => s.ListAsync(ResourceTypes.Pods, It.IsAny<string?>(), It.IsAny<ListQuery>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(failure);
        await using var api = await ApiHost.StartAsync(store: store.Object);

        var response = (await api.GetAsync("/api/v1/namespaces/default/pods")).AssertStatus(400, "BadRequest");

        Assert.Equal("continue token is not valid", response.Message);
        Assert.False(response.Headers.Contains(KubernetesApi.CorrelationIdHeader));
    }

    [Fact]
    public async Task Storage_that_is_away_answers_503_with_retry_after_and_no_store_text()
    {
        // What the Azure Storage adapter throws once its retries found the account away (StorageFaults).
        var failure = new StoreException(StoreErrorKind.Unavailable, null, "the object store did not answer (no connection); try again shortly", new InvalidOperationException(Secret));
        var store = new Mock<IObjectStore>();
        store.Setup(s => s.ListAsync(ResourceTypes.Pods, It.IsAny<string?>(), It.IsAny<ListQuery>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(failure);
        await using var api = await ApiHost.StartAsync(store: store.Object);

        var response = (await api.GetAsync("/api/v1/namespaces/default/pods")).AssertStatus(503, "ServiceUnavailable");

        Assert.Equal("storage is unavailable: the object store did not answer (no connection); try again shortly", response.Message);
        Assert.Equal(5, response.Json["details"]?["retryAfterSeconds"]?.GetValue<int>());
        Assert.Equal("5", Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.DoesNotContain("secretaccount", response.Body, StringComparison.Ordinal);
    }
}
