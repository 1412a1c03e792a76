namespace DurableKube.Dashboard.Tests;

/// <summary>One local host and one browser for all dashboard tests.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Browser>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Dashboard";
}
