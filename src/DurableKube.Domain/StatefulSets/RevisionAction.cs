namespace DurableKube.Domain.StatefulSets;

/// <summary>What making a StatefulSet's update revision takes.</summary>
public enum RevisionAction
{
    /// <summary>Nothing: the newest revision holds the template.</summary>
    None,

    /// <summary>Create the revision: no revision holds the template.</summary>
    Create,

    /// <summary>Give an older revision that holds the template the next number (a rollback to it).</summary>
    Renumber,
}
