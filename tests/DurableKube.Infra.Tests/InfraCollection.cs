namespace DurableKube.Infra.Tests;

/// <summary>The infra tests share one build and one lint of infra/.</summary>
[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "infra";
}
