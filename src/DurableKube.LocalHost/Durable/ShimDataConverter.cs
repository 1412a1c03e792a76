using DurableTask.Core.Serializing;

namespace DurableKube.LocalHost.Durable;

/// <summary>
/// The Durable Task Framework's converter over the Durable Task SDK's: the client and the shimmed
/// orchestrators must (de)serialize inputs and events with the same System.Text.Json settings.
/// </summary>
internal sealed class ShimDataConverter : DataConverter
{
    private readonly Microsoft.DurableTask.DataConverter _inner;

    public ShimDataConverter(Microsoft.DurableTask.DataConverter inner) => _inner = inner;

    public override string? Serialize(object? value) => _inner.Serialize(value);

    public override string? Serialize(object? value, bool formatted) => _inner.Serialize(value);

    public override object? Deserialize(string? data, Type objectType) => _inner.Deserialize(data, objectType);
}
