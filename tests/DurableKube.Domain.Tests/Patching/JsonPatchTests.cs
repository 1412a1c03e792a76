using DurableKube.Domain.Patching;

namespace DurableKube.Domain.Tests.Patching;

public class JsonPatchTests
{
    /// <summary>RFC 6902 appendix A (the successful ones), then pointer and operation edges.</summary>
    [Theory]
    [InlineData("A.1 add an object member", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}")]
    [InlineData("A.2 add an array element", "{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}")]
    [InlineData("A.3 remove an object member", "{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}")]
    [InlineData("A.4 remove an array element", "{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}")]
    [InlineData("A.5 replace a value", "{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}")]
    [InlineData("A.6 move a value", "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}", "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]", "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}")]
    [InlineData("A.7 move an array element", "{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}")]
    [InlineData("A.8 test a value", "{'baz':'qux','foo':['a',2,'c']}", "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]", "{'baz':'qux','foo':['a',2,'c']}")]
    [InlineData("A.10 add a nested member object", "{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'foo':'bar','child':{'grandchild':{}}}")]
    [InlineData("A.11 ignore unrecognized elements", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}")]
    [InlineData("A.14 ~ escape ordering", "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}")]
    [InlineData("A.16 add an array value", "{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}")]
    [InlineData("add replaces an existing member", "{'a':{'x':1}}", "[{'op':'add','path':'/a','value':2}]", "{'a':2}")]
    [InlineData("add at the end index", "{'a':[1,2]}", "[{'op':'add','path':'/a/2','value':3}]", "{'a':[1,2,3]}")]
    [InlineData("add null", "{}", "[{'op':'add','path':'/a','value':null}]", "{'a':null}")]
    [InlineData("~1 in a member name", "{'a/b':1,'m~n':2}", "[{'op':'remove','path':'/a~1b'},{'op':'replace','path':'/m~0n','value':3}]", "{'m~n':3}")]
    [InlineData("the empty member name", "{'':1}", "[{'op':'replace','path':'/','value':2}]", "{'':2}")]
    [InlineData("replace the whole document", "{'a':1}", "[{'op':'replace','path':'','value':{'b':2}}]", "{'b':2}")]
    [InlineData("add the whole document", "{'a':1}", "[{'op':'add','path':'','value':[1]}]", "[1]")]
    [InlineData("test the whole document", "{'a':1}", "[{'op':'test','path':'','value':{'a':1}}]", "{'a':1}")]
    [InlineData("test null", "{'a':null}", "[{'op':'test','path':'/a','value':null}]", "{'a':null}")]
    [InlineData("test numbers by value", "{'a':1.0}", "[{'op':'test','path':'/a','value':1}]", "{'a':1.0}")]
    [InlineData("test objects whatever the member order", "{'a':{'x':1,'y':2}}", "[{'op':'test','path':'/a','value':{'y':2,'x':1}}]", "{'a':{'x':1,'y':2}}")]
    [InlineData("copy is deep", "{'a':{'b':[1]}}", "[{'op':'copy','from':'/a','path':'/c'},{'op':'add','path':'/c/b/-','value':2}]", "{'a':{'b':[1]},'c':{'b':[1,2]}}")]
    [InlineData("move to the same place", "{'a':1}", "[{'op':'move','from':'/a','path':'/a'}]", "{'a':1}")]
    [InlineData("operations apply in order", "{}", "[{'op':'add','path':'/a','value':[]},{'op':'add','path':'/a/-','value':1},{'op':'add','path':'/a/0','value':0}]", "{'a':[0,1]}")]
    [InlineData(
        "kubectl patch --type json",
        "{'spec':{'containers':[{'name':'web','image':'nginx:1.25'}]}}",
        "[{'op':'replace','path':'/spec/containers/0/image','value':'nginx:1.26'},{'op':'add','path':'/metadata','value':{'labels':{'a':'b'}}}]",
        "{'spec':{'containers':[{'name':'web','image':'nginx:1.26'}]},'metadata':{'labels':{'a':'b'}}}")]
    public void Apply_FollowsRfc6902(string name, string document, string patch, string expected)
    {
        var result = JsonPatch.Apply(Json.Parse(document), Json.Text(patch));

        Assert.False(string.IsNullOrEmpty(name));
        Json.Equal(expected, result);
    }

    [Theory]
    [InlineData("A.9 a failed test", "{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]", 422, "testing value /baz failed")]
    [InlineData("A.12 add to a nonexistent target", "{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]", 422, "doc is missing path: \"/baz/bat\"")]
    [InlineData("A.15 strings are not numbers", "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]", 422, "test failed")]
    [InlineData("remove a missing member", "{'a':1}", "[{'op':'remove','path':'/b'}]", 422, "remove operation does not apply")]
    [InlineData("replace a missing member", "{'a':1}", "[{'op':'replace','path':'/b','value':2}]", 422, "replace operation does not apply")]
    [InlineData("add out of bounds", "{'a':[1]}", "[{'op':'add','path':'/a/5','value':2}]", 422, "out of bounds")]
    [InlineData("an index with a leading zero", "{'a':[1,2]}", "[{'op':'add','path':'/a/01','value':9}]", 422, "invalid or out of bounds array index")]
    [InlineData("- outside add", "{'a':[1,2]}", "[{'op':'remove','path':'/a/-'}]", 422, "doc is missing path")]
    [InlineData("an index into a string", "{'a':'str'}", "[{'op':'add','path':'/a/0','value':2}]", 422, "doc is missing path")]
    [InlineData("move into its own child", "{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/c'}]", 422, "is inside")]
    [InlineData("copy from nowhere", "{'a':1}", "[{'op':'copy','from':'/b','path':'/c'}]", 422, "copy operation does not apply")]
    [InlineData("test a missing member", "{'a':1}", "[{'op':'test','path':'/b','value':1}]", 422, "test operation does not apply")]
    [InlineData("an unknown op", "{'a':1}", "[{'op':'frob','path':'/a'}]", 422, "Unexpected kind: frob")]
    [InlineData("add without value", "{'a':1}", "[{'op':'add','path':'/b'}]", 422, "needs a \"value\"")]
    [InlineData("no path", "{'a':1}", "[{'op':'add','value':1}]", 422, "\"path\" must be a string")]
    [InlineData("move without from", "{'a':1}", "[{'op':'move','path':'/b'}]", 422, "\"from\" must be a string")]
    [InlineData("a pointer without a leading slash", "{'a':1}", "[{'op':'add','path':'a','value':1}]", 422, "invalid JSON pointer")]
    [InlineData("a bad escape", "{'a':1}", "[{'op':'add','path':'/a~2','value':1}]", 422, "invalid JSON pointer")]
    [InlineData("a patch that is not a list", "{'a':1}", "{'op':'add','path':'/b','value':1}", 400, "must be a JSON array")]
    [InlineData("a list of non-objects", "{'a':1}", "['add']", 400, "must be a JSON array")]
    [InlineData("malformed JSON", "{'a':1}", "[{'op':", 400, "invalid JSON")]
    public void Apply_RefusesWhatRfc6902Refuses(string name, string document, string patch, int status, string message)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Parse(document), Json.Text(patch)));

        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_IsAtomic()
    {
        var document = Json.Parse("{'a':1}");

        Assert.Throws<PatchException>(() => JsonPatch.Apply(document, Json.Parse("[{'op':'add','path':'/b','value':2},{'op':'test','path':'/a','value':5}]")));

        Json.Equal("{'a':1}", document);
    }
}
