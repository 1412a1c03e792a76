using DurableKube.Testing.Azurite;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>The test classes that share one Azurite (started once if none is running).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
