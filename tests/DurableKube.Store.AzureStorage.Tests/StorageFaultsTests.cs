using Azure;
using DurableKube.Ports.Store;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>A storage account that is away is told apart from a request it refused, and becomes StoreErrorKind.Unavailable.</summary>
public sealed class StorageFaultsTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new RequestFailedException("Connection refused (127.0.0.1:10002)"), true },
        { new RequestFailedException(503, "Server busy"), true },
        { new RequestFailedException(500, "Internal error"), true },
        { new RequestFailedException(429, "Too many requests"), true },
        { new RequestFailedException(408, "Timeout"), true },
        { new AggregateException("Retry failed after 6 tries.", new RequestFailedException("refused"), new RequestFailedException(503, "busy")), true },
        { new AggregateException(new RequestFailedException("refused"), new RequestFailedException(409, "exists")), false },
        { new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout"), true },
        { new IOException("The response ended prematurely."), true },
        { new HttpRequestException("Connection reset by peer"), true },
        { new RequestFailedException(409, "EntityAlreadyExists"), false },
        { new RequestFailedException(412, "UpdateConditionNotSatisfied"), false },
        { new RequestFailedException(404, "ResourceNotFound"), false },
        { new InvalidOperationException("a bug"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsUnavailable_tells_an_outage_from_a_refusal(Exception failure, bool outage) =>
        Assert.Equal(outage, StorageFaults.IsUnavailable(failure, CancellationToken.None));

    [Fact]
    public void A_cancellation_the_caller_asked_for_is_not_an_outage()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(StorageFaults.IsUnavailable(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }

    [Fact]
    public void Unavailable_keeps_the_failure_but_says_nothing_of_its_text()
    {
        var failure = new RequestFailedException("Connection refused (secretaccount.table.core.windows.net:443)");

        var error = StorageFaults.Unavailable(failure);

        Assert.Equal(StoreErrorKind.Unavailable, error.Kind);
        Assert.Same(failure, error.InnerException);
        Assert.Equal("the object store did not answer (no connection); try again shortly", error.Message);
    }
}
