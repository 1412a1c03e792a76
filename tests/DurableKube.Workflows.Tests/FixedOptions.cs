using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Tests;

/// <summary>Options that never change, for the handlers and activities under test.</summary>
/// <typeparam name="T">The options.</typeparam>
/// <param name="value">Their value.</param>
internal sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
