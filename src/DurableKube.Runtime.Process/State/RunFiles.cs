using System.Globalization;
using System.Runtime.Versioning;
using System.Text;

namespace DurableKube.Runtime.Process.State;

/// <summary>Reads and writes the small files of a run. Writers replace files atomically (temporary file, then rename).</summary>
[SupportedOSPlatform("linux")]
internal static class RunFiles
{
    /// <summary>Owner read and write: run files may hold environment values.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner only.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Reads a file, or nothing if it does not exist.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The text, or <see langword="null"/>.</returns>
    public static string? TryReadText(string path)
    {
        try
        {
            return File.ReadAllText(path, Utf8);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Reads a pid file the shim wrote with one <c>printf</c>: complete only once its line ends.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The pid, or <see langword="null"/> if absent or not yet complete.</returns>
    public static int? ReadPid(string path)
    {
        var text = TryReadText(path);
        return text is not null && text.EndsWith('\n')
            && int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1
            ? pid
            : null;
    }

    /// <summary>Reads the recorded identity of the container process.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The identity, or <see langword="null"/>.</returns>
    public static ChildIdentity? ReadChild(string path)
    {
        var parts = TryReadText(path)?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts is { Length: 2 }
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new ChildIdentity(pid, start)
            : null;
    }

    /// <summary>Records the identity of the container process.</summary>
    /// <param name="path">The file.</param>
    /// <param name="identity">The identity.</param>
    public static void WriteChild(string path, ChildIdentity identity) =>
        WriteAtomic(path, string.Create(CultureInfo.InvariantCulture, $"{identity.Pid} {identity.StartTime}\n"));

    /// <summary>Reads how a run ended.</summary>
    /// <param name="path">The exit file.</param>
    /// <returns>The record, or <see langword="null"/> while the run has not ended.</returns>
    public static ExitRecord? ReadExit(string path)
    {
        var text = TryReadText(path);
        if (text is null)
        {
            return null;
        }

        var lines = text.Split('\n');
        if (!int.TryParse(lines[0].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
        {
            return null;
        }

        var reason = lines.Length > 1 && lines[1].Length > 0 ? lines[1] : null;
        var message = lines.Length > 2 && lines[2].Length > 0 ? lines[2] : null;
        var finished = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        return new ExitRecord(code, reason, message, finished);
    }

    /// <summary>Records how a run ended, unless something (the shim) already did.</summary>
    /// <param name="path">The exit file.</param>
    /// <param name="exitCode">The exit code.</param>
    /// <param name="reason">A reason, or <see langword="null"/>.</param>
    /// <param name="message">A one-line message, or <see langword="null"/>.</param>
    /// <returns>Whether this call wrote it.</returns>
    public static bool TryWriteExit(string path, int exitCode, string? reason, string? message)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{exitCode}\n{reason}\n{message?.ReplaceLineEndings(" ")}\n");
        var temporary = TemporaryName(path);
        WriteNew(temporary, text, PrivateFile);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    /// <summary>Reads the last stop signal the runtime sent.</summary>
    /// <param name="path">The stop file.</param>
    /// <returns>The signal, or <see langword="null"/>.</returns>
    public static int? ReadSignal(string path) =>
        int.TryParse(TryReadText(path)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var signal) ? signal : null;

    /// <summary>Replaces a file's content atomically.</summary>
    /// <param name="path">The file.</param>
    /// <param name="text">The content.</param>
    /// <param name="mode">The permissions of the new file.</param>
    public static void WriteAtomic(string path, string text, UnixFileMode mode = PrivateFile)
    {
        var temporary = TemporaryName(path);
        WriteNew(temporary, text, mode);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Creates an empty marker file if there is none.</summary>
    /// <param name="path">The file.</param>
    public static void Touch(string path)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            UnixCreateMode = PrivateFile,
        });
    }

    /// <summary>Creates a file that must not exist yet.</summary>
    /// <param name="path">The file.</param>
    /// <param name="text">The content.</param>
    /// <param name="mode">Its permissions.</param>
    public static void WriteNew(string path, string text, UnixFileMode mode)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        });
        var bytes = Utf8.GetBytes(text);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static string TemporaryName(string path) =>
        $"{path}.{Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)}.tmp";
}
