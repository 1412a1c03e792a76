namespace DurableKube.Domain.Authorization;

/// <summary>One rule a role grants: verbs on resources of API groups, or (with no groups) verbs on paths.</summary>
/// <param name="Verbs">The verbs (<c>*</c> for all).</param>
/// <param name="Groups">The API groups (<c>*</c> for all); empty for a non-resource rule.</param>
/// <param name="Targets">The resources, or for a non-resource rule the paths.</param>
public sealed record AccessRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> Groups, IReadOnlyList<string> Targets);
