using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DurableKube.LocalHost.Tests;

/// <summary>A long-running kubectl (port-forward, a watch) whose output is watched; disposing it ends it by its pid.</summary>
internal sealed class KubectlProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public KubectlProcess(string kubeconfig, params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Exited => _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "no";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits until the output matches, and returns the pattern's first group as a number (a port).</summary>
    public async Task<int> WaitForAsync(Regex pattern, TimeSpan timeout)
    {
        var text = await WaitForAsync(pattern.IsMatch, timeout, pattern.ToString());
        return int.Parse(pattern.Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until kubectl has printed a text, and returns all it printed.</summary>
    public Task<string> WaitForAsync(string text, TimeSpan timeout) =>
        WaitForAsync(output => output.Contains(text, StringComparison.Ordinal), timeout, text);

    /// <summary>Waits until what kubectl printed so far satisfies a condition, and returns it.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var text = Output;
            if (done(text))
            {
                return text;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"kubectl ended ({_process.ExitCode}) before {what}: {text}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"kubectl did not print {what} within {timeout}: {Output}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
