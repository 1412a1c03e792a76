namespace DurableKube.Runtime.Process.Exec;

/// <summary>
/// Reads a file a container writes, from where it ends now on, following it as it grows (<c>tail -f</c>), until the
/// run has ended and everything it wrote has been read.
/// </summary>
internal sealed class FollowStream : Stream
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly FileStream _file;
    private readonly Func<bool> _ended;
    private readonly CancellationToken _detached;

    /// <summary>Initializes a new instance of the <see cref="FollowStream"/> class.</summary>
    /// <param name="path">The file.</param>
    /// <param name="ended">Tells whether the run has ended (nothing more will be written).</param>
    /// <param name="detached">Ends the stream early.</param>
    public FollowStream(string path, Func<bool> ended, CancellationToken detached)
    {
        _file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete });
        _file.Seek(0, SeekOrigin.End);
        _ended = ended;
        _detached = detached;
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _detached);
        while (true)
        {
            // Whether the run had ended is asked before reading, so what it wrote last is still read.
            var ended = _ended();
            var read = await _file.ReadAsync(buffer, linked.Token);
            if (read > 0 || ended || _detached.IsCancellationRequested)
            {
                return read;
            }

            try
            {
                await Task.Delay(PollInterval, linked.Token);
            }
            catch (OperationCanceledException) when (_detached.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
