using DurableKube.Bench;

namespace DurableKube.Bench.Tests;

public sealed class StorageLogTallyTests
{
    private const string TableRead =
        "2026-12-03T10:00:00.000Z 1f2e info: TableStorageContextMiddleware: RequestMethod=GET RequestURL=http://127.0.0.1:10002/devstoreaccount1/kubeobjects() RequestHeaders:{}\n";

    private const string ChangePost =
        "2026-12-03T10:00:00.001Z 3a4b info: QueueStorageContextMiddleware: RequestMethod=POST RequestURL=http://127.0.0.1:10001/devstoreaccount1/kube-changes/messages?timeout=30 RequestHeaders:{}\n";

    private const string HubPost =
        "2026-12-03T10:00:00.002Z 5c6d info: QueueStorageContextMiddleware: RequestMethod=POST RequestURL=http://127.0.0.1:10001/devstoreaccount1/durablekube-workitems/messages RequestHeaders:{}\n";

    private const string Other = "2026-12-03T10:00:00.003Z 5c6d debug: QueueHandler:enqueue() Raw request string kube-changes/messages\n";

    [Fact]
    public void Requests_and_change_messages_are_counted()
    {
        var tally = new StorageLogTally("kube-changes");
        tally.Add(TableRead + ChangePost + HubPost + Other);
        Assert.Equal(3, tally.Requests);
        Assert.Equal(1, tally.ChangeMessages);
    }

    [Fact]
    public void A_line_split_between_chunks_counts_once()
    {
        var tally = new StorageLogTally("kube-changes");
        var text = TableRead + ChangePost;
        foreach (var cut in new[] { 10, 150, 200 })
        {
            tally = new StorageLogTally("kube-changes");
            tally.Add(text[..cut]);
            tally.Add(text[cut..]);
            Assert.Equal(2, tally.Requests);
            Assert.Equal(1, tally.ChangeMessages);
        }
    }

    [Fact]
    public void An_unfinished_last_line_waits_for_its_end()
    {
        var tally = new StorageLogTally("kube-changes");
        tally.Add(ChangePost.TrimEnd('\n'));
        Assert.Equal(0, tally.Requests);
        tally.Add("\n");
        Assert.Equal(1, tally.ChangeMessages);
    }

    [Fact]
    public void Another_change_queue_name_is_followed()
    {
        var tally = new StorageLogTally("e2e-changes-x");
        tally.Add(ChangePost + ChangePost.Replace("kube-changes", "e2e-changes-x", StringComparison.Ordinal));
        Assert.Equal(2, tally.Requests);
        Assert.Equal(1, tally.ChangeMessages);
    }

    [Fact]
    public void A_window_counts_by_the_time_each_request_was_sent_not_when_Azurite_wrote_it_down()
    {
        // Written a minute late, as Azurite does under load; the header says when the client sent it.
        const string Late =
            "2026-12-03T10:01:00.000Z 7e8f info: TableStorageContextMiddleware: RequestMethod=GET RequestURL=http://127.0.0.1:10002/devstoreaccount1/kubeobjects() " +
            "RequestHeaders:{\"host\":\"127.0.0.1:10002\",\"x-ms-date\":\"Thu, 03 Dec 2026 10:00:05 GMT\",\"content-length\":\"0\"} ClientIP=127.0.0.1\n";
        var tally = new StorageLogTally("kube-changes");
        tally.Add(Late + Late.Replace("10:00:05", "10:00:07", StringComparison.Ordinal));
        var at = DateTimeOffset.Parse("2026-12-03T10:00:00.000Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal((2L, 0L), tally.Between(at, at.AddSeconds(10)));
        Assert.Equal((1L, 0L), tally.Between(at.AddSeconds(6), at.AddSeconds(10)));
        Assert.Equal((0L, 0L), tally.Between(at.AddMinutes(1), at.AddMinutes(2)));
        Assert.Equal(at.AddSeconds(7), tally.Latest);
    }

    [Fact]
    public void A_request_line_without_its_date_counts_at_the_time_Azurite_logged_it()
    {
        var tally = new StorageLogTally("kube-changes");
        tally.Add(TableRead + ChangePost + HubPost);
        var at = DateTimeOffset.Parse("2026-12-03T10:00:00.000Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((3L, 1L), tally.Between(at, at.AddSeconds(1)));
        Assert.Equal((2L, 1L), tally.Between(at.AddMilliseconds(1), at.AddSeconds(1)));
        Assert.Equal((1L, 0L), tally.Between(at, at.AddMilliseconds(1)));
        Assert.Equal(at.AddMilliseconds(2), tally.Latest);
    }
}
