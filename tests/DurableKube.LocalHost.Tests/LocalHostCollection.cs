namespace DurableKube.LocalHost.Tests;

/// <summary>One local host for all end-to-end tests: starting it means building and running scripts/up.sh.</summary>
[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Local host";
}
