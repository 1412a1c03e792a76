using System.Text.Json.Nodes;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.StatefulSets;
using k8s.Models;
using static DurableKube.Domain.Tests.StatefulSets.StatefulSetFixtures;

namespace DurableKube.Domain.Tests.StatefulSets;

public class StatefulSetRevisionsTests
{
    private static V1ControllerRevision Stored(V1StatefulSet sts, long number, string image, int collisionCount = 0)
    {
        var copy = KubeJson.Clone(sts);
        copy.Spec.Template.Spec.Containers[0].Image = image;
        var revision = StatefulSetRevisions.NewRevision(copy, number, collisionCount);

        // As the store gives it back: data is whatever the client model decodes.
        return (V1ControllerRevision)KubeJson.Deserialize(KubeJson.Serialize(revision), typeof(V1ControllerRevision))!;
    }

    [Fact]
    public void A_revision_holds_the_template_as_a_replace_patch_with_sorted_keys_and_is_named_after_its_hash()
    {
        var sts = Sts();
        sts.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/change-cause"] = "first" };

        var revision = StatefulSetRevisions.NewRevision(sts, 1, 0);

        var data = StatefulSetRevisions.DataOf(revision)!;
        Assert.Equal("replace", data["spec"]!["template"]!["$patch"]!.GetValue<string>());
        Assert.Equal(["$patch", "metadata", "spec"], data["spec"]!["template"]!.AsObject().Select(p => p.Key));
        var hash = StatefulSetRevisions.Hash(data, 0);
        Assert.Equal("web-" + hash, revision.Metadata.Name);
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]+$", hash);
        Assert.Equal(hash, revision.Metadata.Labels[StatefulSetRevisions.HashLabel]);
        Assert.Equal("nginx", revision.Metadata.Labels["app"]);
        Assert.Equal("first", revision.Metadata.Annotations["kubernetes.io/change-cause"]);
        Assert.Equal((1L, Uid, true), (revision.Revision ?? 0, revision.Metadata.OwnerReferences[0].Uid, revision.Metadata.OwnerReferences[0].Controller ?? false));
        Assert.Equal("nginx:1", StatefulSetRevisions.TemplateOf(Stored(sts, 1, "nginx:1"))!.Spec.Containers[0].Image);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(0, 1, false)]
    public void The_hash_is_stable_and_takes_in_the_collision_count(int a, int b, bool same)
    {
        var data = StatefulSetRevisions.PatchOf(Sts().Spec.Template);

        Assert.Equal(same, StatefulSetRevisions.Hash(data, a) == StatefulSetRevisions.Hash(data, b));
    }

    [Theory]
    // images of the stored revisions in number order, the template's image, expected action, update revision number, current revision's image
    [InlineData("", "nginx:1", RevisionAction.Create, 1, "nginx:1")]
    [InlineData("nginx:1", "nginx:1", RevisionAction.None, 1, "nginx:1")]
    [InlineData("nginx:1", "nginx:2", RevisionAction.Create, 2, "nginx:1")]
    [InlineData("nginx:1,nginx:2", "nginx:1", RevisionAction.Renumber, 3, "nginx:2")]
    [InlineData("nginx:1,nginx:2", "nginx:2", RevisionAction.None, 2, "nginx:2")]
    public void The_update_revision_is_the_newest_that_holds_the_template_an_older_one_renumbered_or_a_new_one(
        string stored, string image, RevisionAction action, long number, string currentImage)
    {
        var sts = Sts(image: image);
        var owned = stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select((img, i) => Stored(sts, i + 1, img)).ToList();
        sts.Status = new V1StatefulSetStatus { CurrentRevision = owned.LastOrDefault()?.Metadata.Name };

        var plan = StatefulSetRevisions.Resolve(sts, owned, owned);

        Assert.Equal((action, number), (plan.Action, plan.Update.Revision ?? 0));
        Assert.Equal(image, StatefulSetRevisions.TemplateOf(plan.Update)!.Spec.Containers[0].Image);
        Assert.Equal(currentImage, StatefulSetRevisions.TemplateOf(plan.Current)!.Spec.Containers[0].Image);
        Assert.Equal(0, plan.CollisionCount);
    }

    [Fact]
    public void A_name_taken_by_a_revision_with_other_data_raises_the_collision_count()
    {
        var sts = Sts(image: "nginx:2");
        var wanted = StatefulSetRevisions.NewRevision(sts, 1, 0);
        var squatter = Stored(sts, 7, "something-else");
        squatter.Metadata.Name = wanted.Metadata.Name;
        squatter.Metadata.OwnerReferences = null;

        var plan = StatefulSetRevisions.Resolve(sts, [], [squatter]);

        Assert.Equal((RevisionAction.Create, 1), (plan.Action, plan.CollisionCount));
        Assert.NotEqual(wanted.Metadata.Name, plan.Update.Metadata.Name);
        Assert.Equal(StatefulSetRevisions.NewRevision(sts, 1, 1).Metadata.Name, plan.Update.Metadata.Name);
    }

    [Theory]
    // revisions (numbers 1..n), limit, revision of a pod (by number, 0 none), current, update, expected deletions
    [InlineData(5, 10, 0, 4, 5, "")]
    [InlineData(5, 2, 0, 4, 5, "1")]
    [InlineData(5, 0, 0, 4, 5, "1,2,3")]
    [InlineData(5, 0, 2, 5, 5, "1,3,4")]
    [InlineData(5, 1, 2, 5, 5, "1,3")]
    public void History_beyond_the_limit_goes_oldest_first_but_never_a_revision_in_use(int count, int limit, int podRevision, int current, int update, string deleted)
    {
        var sts = Sts();
        sts.Spec.RevisionHistoryLimit = limit;
        var owned = Enumerable.Range(1, count).Select(i => Stored(sts, i, $"nginx:{i}")).ToList();
        string NameOf(int number) => owned[number - 1].Metadata.Name;
        var pods = podRevision > 0 ? new List<V1Pod> { Pod(0, NameOf(podRevision)) } : [];

        var trim = StatefulSetRevisions.ToTrim(sts, owned.AsEnumerable().Reverse().ToList(), pods, NameOf(current), NameOf(update));

        Assert.Equal(deleted, string.Join(",", trim.Select(r => r.Revision)));
    }

    [Fact]
    public void Equal_compares_the_data_whatever_its_key_order_or_form()
    {
        var sts = Sts();
        var made = StatefulSetRevisions.NewRevision(sts, 1, 0);
        var stored = Stored(sts, 1, "nginx:1");
        var shuffled = KubeJson.Clone(stored);
        var template = (JsonObject)StatefulSetRevisions.DataOf(stored)!["spec"]!["template"]!.DeepClone();
        shuffled.Data = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject(template.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))) } };

        Assert.True(StatefulSetRevisions.Equal(made, stored));
        Assert.True(StatefulSetRevisions.Equal(stored, shuffled));
        Assert.False(StatefulSetRevisions.Equal(made, Stored(sts, 1, "nginx:9")));
    }
}
