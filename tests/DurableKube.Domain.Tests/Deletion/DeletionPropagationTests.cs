using DurableKube.Domain.Deletion;
using k8s.Models;

namespace DurableKube.Domain.Tests.Deletion;

public class DeletionPropagationTests
{
    private const string Orphan = DeletionPropagation.OrphanFinalizer;
    private const string Foreground = DeletionPropagation.ForegroundFinalizer;

    private static readonly string[][] ExistingFinalizers =
    [
        [],
        ["example.com/keep"],
        [Orphan],
        [Foreground],
        ["example.com/keep", Orphan],
        [Foreground, "example.com/keep"],
        [Orphan, Foreground],
        [Foreground, Orphan],
    ];

    /// <summary>Every request (policy, orphanDependents) against every set of finalizers an object may carry.</summary>
    public static TheoryData<PropagationPolicy?, bool?, string[]> EveryCombination()
    {
        var data = new TheoryData<PropagationPolicy?, bool?, string[]>();
        foreach (var policy in new PropagationPolicy?[] { null, PropagationPolicy.Background, PropagationPolicy.Foreground, PropagationPolicy.Orphan })
        {
            foreach (var orphanDependents in new bool?[] { null, true, false })
            {
                foreach (var finalizers in ExistingFinalizers)
                {
                    data.Add(policy, orphanDependents, finalizers);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCombination))]
    public void Finalizers_follow_the_apiservers_deletionFinalizersForGarbageCollection(PropagationPolicy? policy, bool? orphanDependents, string[] existing)
    {
        var (needsUpdate, expected) = ApiServer.DeletionFinalizersForGarbageCollection(existing, policy, orphanDependents);

        var result = DeletionPropagation.Finalizers(existing, policy, orphanDependents);

        if (needsUpdate)
        {
            Assert.NotNull(result);
            Assert.Equal(expected, result);
        }
        else
        {
            Assert.Null(result);
        }
    }

    [Theory]
    [InlineData(null, null, new string[0], null)]
    [InlineData("Background", null, new string[0], null)]
    [InlineData("Orphan", null, new string[0], new[] { Orphan })]
    [InlineData("Foreground", null, new string[0], new[] { Foreground })]
    [InlineData(null, true, new string[0], new[] { Orphan })]
    [InlineData(null, false, new[] { Orphan }, new string[0])]
    [InlineData("Foreground", true, new string[0], new[] { Orphan })]              // orphanDependents wins over the policy
    [InlineData("Orphan", false, new[] { "a.io/x", Orphan }, new[] { "a.io/x" })]  // and its false means no propagation finalizer at all
    [InlineData("Orphan", null, new[] { Foreground, "a.io/x" }, new[] { "a.io/x", Orphan })]
    [InlineData("Background", null, new[] { "a.io/x", Foreground }, new[] { "a.io/x" })]
    [InlineData(null, null, new[] { Orphan }, null)]                              // without a request, what the object carries stays
    [InlineData(null, null, new[] { "a.io/x", Foreground }, null)]
    [InlineData(null, null, new[] { Orphan, Foreground }, new[] { Orphan })]      // the first one counts, as in the apiserver
    [InlineData(null, null, new[] { Foreground, Orphan }, new[] { Foreground })]
    [InlineData("Orphan", null, new[] { Orphan }, null)]
    public void Finalizers_examples(string? policy, bool? orphanDependents, string[] existing, string[]? expected)
    {
        var result = DeletionPropagation.Finalizers(existing, DeletionPropagation.Parse(policy), orphanDependents);

        Assert.Equal(expected, result);
    }

    [Fact]
    public void Finalizers_of_an_object_without_any_are_read_as_none()
    {
        Assert.Null(DeletionPropagation.Finalizers(null, null, null));
        Assert.Equal([Orphan], DeletionPropagation.Finalizers(null, PropagationPolicy.Orphan, null));
    }

    [Fact]
    public void Finalizers_leave_the_list_they_were_given_alone()
    {
        var existing = new List<string> { "a.io/x", Foreground };

        var result = DeletionPropagation.Finalizers(existing, PropagationPolicy.Orphan, null);

        Assert.Equal(["a.io/x", Orphan], result);
        Assert.Equal(["a.io/x", Foreground], existing);
    }

    [Theory]
    [InlineData(false, new string[0], null)]
    [InlineData(false, new[] { Orphan }, null)]          // not being deleted: nothing is pending, whatever it carries
    [InlineData(true, new string[0], null)]
    [InlineData(true, new[] { "a.io/x" }, null)]
    [InlineData(true, new[] { "a.io/x", Orphan }, PropagationPolicy.Orphan)]
    [InlineData(true, new[] { Foreground }, PropagationPolicy.Foreground)]
    [InlineData(true, new[] { Foreground, Orphan }, PropagationPolicy.Foreground)]
    [InlineData(true, new[] { Orphan, Foreground }, PropagationPolicy.Orphan)]
    public void Pending_is_the_policy_of_a_deleted_objects_first_propagation_finalizer(bool deleting, string[] finalizers, PropagationPolicy? expected)
    {
        var meta = new V1ObjectMeta
        {
            Name = "owner",
            Finalizers = finalizers,
            DeletionTimestamp = deleting ? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) : null,
        };

        Assert.Equal(expected, DeletionPropagation.Pending(meta));
    }

    [Fact]
    public void Pending_of_no_metadata_is_nothing()
    {
        Assert.Null(DeletionPropagation.Pending(null));
        Assert.Null(DeletionPropagation.Pending(new V1ObjectMeta { DeletionTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) }));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("Background", PropagationPolicy.Background)]
    [InlineData("Foreground", PropagationPolicy.Foreground)]
    [InlineData("Orphan", PropagationPolicy.Orphan)]
    public void Parse_reads_the_policy_names(string? value, PropagationPolicy? expected) =>
        Assert.Equal(expected, DeletionPropagation.Parse(value));

    [Theory]
    [InlineData("orphan")]
    [InlineData("Delete")]
    public void Parse_refuses_anything_else(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => DeletionPropagation.Parse(value));

        Assert.Contains($"\"{value}\"", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The apiserver's rules, transcribed from staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
    /// (shouldOrphanDependents, shouldDeleteDependents, deletionFinalizersForGarbageCollection) for a kind whose
    /// default policy is DeleteDependents (Background), with garbage collection enabled.
    /// </summary>
    private static class ApiServer
    {
        public static (bool NeedsUpdate, List<string> Finalizers) DeletionFinalizersForGarbageCollection(string[] finalizers, PropagationPolicy? policy, bool? orphanDependents)
        {
            var shouldOrphan = ShouldOrphanDependents(finalizers, policy, orphanDependents);
            var shouldDeleteDependentInForeground = ShouldDeleteDependents(finalizers, policy, orphanDependents);
            var newFinalizers = new List<string>();

            // first remove both finalizers, add them back if needed.
            foreach (var f in finalizers)
            {
                if (f is Orphan or Foreground)
                {
                    continue;
                }

                newFinalizers.Add(f);
            }

            if (shouldOrphan)
            {
                newFinalizers.Add(Orphan);
            }

            if (shouldDeleteDependentInForeground)
            {
                newFinalizers.Add(Foreground);
            }

            return new HashSet<string>(finalizers, StringComparer.Ordinal).SetEquals(newFinalizers) ? (false, [.. finalizers]) : (true, newFinalizers);
        }

        private static bool ShouldOrphanDependents(string[] finalizers, PropagationPolicy? policy, bool? orphanDependents)
        {
            // An explicit policy was set at deletion time, that overrides everything
            if (orphanDependents is { } orphan)
            {
                return orphan;
            }

            switch (policy)
            {
                case PropagationPolicy.Orphan:
                    return true;
                case PropagationPolicy.Background or PropagationPolicy.Foreground:
                    return false;
            }

            // If a finalizer is set in the object, it overrides the default
            foreach (var f in finalizers)
            {
                switch (f)
                {
                    case Orphan:
                        return true;
                    case Foreground:
                        return false;
                }
            }

            // The default policy, DeleteDependents, is not OrphanDependents.
            return false;
        }

        private static bool ShouldDeleteDependents(string[] finalizers, PropagationPolicy? policy, bool? orphanDependents)
        {
            // If an explicit policy was set at deletion time, that overrides both
            if (orphanDependents is not null)
            {
                return false;
            }

            switch (policy)
            {
                case PropagationPolicy.Foreground:
                    return true;
                case PropagationPolicy.Background or PropagationPolicy.Orphan:
                    return false;
            }

            // If a finalizer is set in the object, it overrides the default
            foreach (var f in finalizers)
            {
                switch (f)
                {
                    case Foreground:
                        return true;
                    case Orphan:
                        return false;
                }
            }

            return false;
        }
    }
}
