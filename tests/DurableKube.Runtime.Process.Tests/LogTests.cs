using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Logs;

namespace DurableKube.Runtime.Process.Tests;

public sealed class LogTests
{
    [Fact]
    public async Task Stdout_and_stderr_are_in_the_log_with_stream_tags_and_times()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "echo out; sleep 0.3; echo err >&2; sleep 0.3; printf tail");

        await runtime.StartContainerAsync(launch);
        await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var lines = await TestRoot.ReadLogAsync(runtime, launch.Id);

        Assert.Equal(
            [("stdout", "out", true), ("stderr", "err", true), ("stdout", "tail", false)],
            lines.Select(l => (l.Stream, l.Content, l.Complete)));
        Assert.All(lines, l => Assert.InRange(l.Time, before, DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.True(lines[0].Time <= lines[1].Time && lines[1].Time <= lines[2].Time);

        var record = File.ReadAllLines(root.Run(launch.Id).Log)[0];
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z stdout F out$", record);
    }

    [Fact]
    public async Task Lines_longer_than_16_KiB_are_split_into_partial_records()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "head -c 40000 /dev/zero | tr '\\0' a; echo");

        await runtime.StartContainerAsync(launch);
        await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var lines = await TestRoot.ReadLogAsync(runtime, launch.Id);

        Assert.Equal([16384, 16384, 40000 - 32768], lines.Select(l => l.Content.Length));
        Assert.Equal([false, false, true], lines.Select(l => l.Complete));
    }

    [Fact]
    public async Task Tail_and_since_pick_lines_like_the_kubelet()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "for i in 1 2 3 4 5; do echo $i; done; sleep 1.5; echo 6; echo 7");
        await runtime.StartContainerAsync(launch);
        await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var all = await TestRoot.ReadLogAsync(runtime, launch.Id);
        var late = all.Single(l => l.Content == "6").Time;

        var tail = await TestRoot.ReadLogAsync(runtime, launch.Id, new LogReadOptions(TailLines: 2));
        var since = await TestRoot.ReadLogAsync(runtime, launch.Id, new LogReadOptions(Since: late));
        var tailThenSince = await TestRoot.ReadLogAsync(runtime, launch.Id, new LogReadOptions(TailLines: 4, Since: late));
        var none = await TestRoot.ReadLogAsync(runtime, launch.Id, new LogReadOptions(TailLines: 0));

        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], all.Select(l => l.Content));
        Assert.True(all[4].Time < late, "the lines before the sleep were seen earlier");
        Assert.Equal(["6", "7"], tail.Select(l => l.Content));
        Assert.Equal(["6", "7"], since.Select(l => l.Content));
        Assert.Equal(["6", "7"], tailThenSince.Select(l => l.Content));
        Assert.Empty(none);
    }

    [Fact]
    public async Task Follow_yields_new_lines_until_the_run_exits()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "for i in 1 2 3 4; do echo $i; sleep 0.3; done; printf end");
        await runtime.StartContainerAsync(launch);

        var lines = await TestRoot.ReadLogAsync(runtime, launch.Id, new LogReadOptions(Follow: true));

        Assert.Equal(["1", "2", "3", "4", "end"], lines.Select(l => l.Content));
        Assert.Equal(ContainerRunState.Exited, (await runtime.GetContainerAsync(launch.Id))!.State);
    }

    [Fact]
    public async Task Follow_ends_when_cancelled()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "echo first; exec sleep 300");
        await runtime.StartContainerAsync(launch);
        using var cancel = new CancellationTokenSource();
        var lines = new List<LogLine>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var line in runtime.ReadLogAsync(launch.Id, new LogReadOptions(Follow: true), cancel.Token))
            {
                lines.Add(line);
                await cancel.CancelAsync();
            }
        });

        Assert.Equal("first", lines.Single().Content);
    }

    [Fact]
    public async Task Reading_the_log_of_an_unknown_run_fails()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(
            () => TestRoot.ReadLogAsync(runtime, new ContainerRunId("nopod", "app", 0)));

        Assert.False(error.Transient);
    }

    [Fact]
    public void Records_round_trip_through_the_CRI_format()
    {
        var time = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234500);
        using var buffer = new MemoryStream();

        CriLog.AppendRecord(buffer, time, "stderr", complete: false, "a b  c"u8);
        var text = System.Text.Encoding.UTF8.GetString(buffer.ToArray());

        Assert.Equal("2024-05-06T07:08:09.12345Z stderr P a b  c\n", text);
        Assert.True(CriLog.TryParse(text.TrimEnd('\n'), out var line));
        Assert.Equal(new LogLine(time, "stderr", "a b  c", Complete: false), line);
        Assert.True(CriLog.TryParse("2024-05-06T07:08:09Z stdout F ", out var empty));
        Assert.Equal(string.Empty, empty.Content);
        Assert.False(CriLog.TryParse("garbage", out _));
    }

    [Fact]
    public async Task A_log_far_larger_than_one_read_is_read_in_pieces_whole_and_tailed()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");

        // About 4.5 MB of records: more than three reads of CriLog.ReadChunkBytes.
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "seq 1 100000");
        await runtime.StartContainerAsync(launch);
        await TestRoot.WaitForExitAsync(runtime, launch.Id);
        Assert.True(new FileInfo(root.Run(launch.Id).Log).Length > 3 * CriLog.ReadChunkBytes, "the log is larger than three reads");

        var all = await TestRoot.ReadLogAsync(runtime, launch.Id);
        var tail = await TestRoot.ReadLogAsync(runtime, launch.Id, new LogReadOptions(TailLines: 3));

        Assert.Equal(Enumerable.Range(1, 100000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), all.Select(l => l.Content));
        Assert.Equal(["99998", "99999", "100000"], tail.Select(l => l.Content));
    }

    [Fact]
    public void ReadFrom_reads_whole_records_up_to_its_limit_and_skips_a_piece_that_holds_none()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var file = File.OpenWrite(path))
            {
                for (var i = 0; i < 10; i++)
                {
                    CriLog.AppendRecord(file, DateTimeOffset.UnixEpoch, "stdout", complete: true, System.Text.Encoding.UTF8.GetBytes("line " + i));
                }
            }

            var recordLength = new FileInfo(path).Length / 10;
            var lines = new List<LogLine>();
            var offset = CriLog.ReadFrom(path, 0, lines, maxBytes: (int)(recordLength * 3 + 5));
            Assert.Equal(["line 0", "line 1", "line 2"], lines.Select(l => l.Content));
            Assert.Equal(recordLength * 3, offset);

            lines.Clear();
            Assert.Equal(recordLength * 10, CriLog.ReadFrom(path, offset, lines));
            Assert.Equal(7, lines.Count);
            Assert.Equal(recordLength * 10, CriLog.ReadFrom(path, recordLength * 10, lines));

            // A piece with no end of record in it (not something this log's writer makes) is passed over, not read on.
            File.AppendAllText(path, new string('x', 100));
            Assert.Equal(recordLength * 10 + 50, CriLog.ReadFrom(path, recordLength * 10, lines, maxBytes: 50));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
