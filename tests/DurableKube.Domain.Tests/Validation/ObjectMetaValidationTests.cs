using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public class ObjectMetaValidationTests
{
    private static IReadOnlyList<string> Validate(V1ObjectMeta meta, bool namespaced = true) =>
        ObjectMetaValidation.Validate(meta, namespaced, NameValidation.NameIsDnsSubdomain).Select(e => e.ToString()).ToList();

    [Fact]
    public void A_valid_object_has_no_errors()
    {
        Assert.Empty(Validate(new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "web" } }));
    }

    [Fact]
    public void Name_or_generateName_is_required()
    {
        Assert.Equal(["metadata.name: Required value: name or generateName is required"], Validate(new V1ObjectMeta { NamespaceProperty = "default" }));
    }

    [Fact]
    public void Namespace_is_required_for_namespaced_types_and_forbidden_otherwise()
    {
        Assert.Equal(["metadata.namespace: Required value"], Validate(new V1ObjectMeta { Name = "a" }));
        Assert.Equal(["metadata.namespace: Forbidden: not allowed on this type"], Validate(new V1ObjectMeta { Name = "a", NamespaceProperty = "x" }, namespaced: false));
    }

    [Theory]
    [InlineData("bad key", "v", "metadata.labels: Invalid value: \"bad key\": name part must consist of")]
    [InlineData("app", "bad value", "metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of")]
    public void Labels_are_checked(string key, string value, string expectedStart)
    {
        var errors = Validate(new V1ObjectMeta { Name = "a", NamespaceProperty = "d", Labels = new Dictionary<string, string> { [key] = value } });

        Assert.Single(errors);
        Assert.StartsWith(expectedStart, errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_label_value_is_refused()
    {
        var errors = Validate(new V1ObjectMeta { Name = "a", NamespaceProperty = "d", Labels = new Dictionary<string, string> { ["app"] = new string('x', 100_000) } });

        Assert.Contains(errors, e => e.EndsWith(": must be no more than 63 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void Annotations_may_hold_256_KiB_in_all()
    {
        var big = new V1ObjectMeta { Name = "a", NamespaceProperty = "d", Annotations = new Dictionary<string, string> { ["a"] = new string('x', 262_144) } };

        Assert.Equal(["metadata.annotations: Too long: may not be more than 262144 bytes"], Validate(big));
    }

    [Fact]
    public void Identity_fields_are_immutable_on_update()
    {
        var old = new V1ObjectMeta { Name = "a", NamespaceProperty = "d", Uid = "1" };
        var changed = new V1ObjectMeta { Name = "b", NamespaceProperty = "d", Uid = "2" };

        var errors = ObjectMetaValidation.ValidateUpdate(changed, old).Select(e => e.ToString()).ToList();

        Assert.Equal(["metadata.name: Invalid value: \"b\": field is immutable", "metadata.uid: Invalid value: \"2\": field is immutable"], errors);
    }

    [Fact]
    public void No_finalizer_may_be_added_to_an_object_being_deleted()
    {
        var old = new V1ObjectMeta { Name = "a", DeletionTimestamp = DateTime.UtcNow, Finalizers = ["x/a"] };
        var changed = new V1ObjectMeta { Name = "a", DeletionTimestamp = old.DeletionTimestamp, Finalizers = ["x/a", "x/b"] };

        var error = Assert.Single(ObjectMetaValidation.ValidateUpdate(changed, old));

        Assert.Equal(FieldErrorType.Forbidden, error.Type);
        Assert.Equal("metadata.finalizers", error.Field);
    }

    [Fact]
    public void The_orphan_and_foregroundDeletion_finalizers_cannot_be_both_set()
    {
        var meta = new V1ObjectMeta { Name = "a", NamespaceProperty = "d", Finalizers = ["orphan", "foregroundDeletion"] };

        var error = Assert.Single(ObjectMetaValidation.Validate(meta, namespaced: true, NameValidation.NameIsDnsSubdomain));

        Assert.Equal("metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set", error.ToString());
    }
}
