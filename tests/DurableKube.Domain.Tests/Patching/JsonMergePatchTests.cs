using System.Text.Json.Nodes;
using DurableKube.Domain.Patching;

namespace DurableKube.Domain.Tests.Patching;

public class JsonMergePatchTests
{
    /// <summary>RFC 7386 appendix A, then what kubectl sends.</summary>
    [Theory]
    [InlineData("{'a':'b'}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}")]
    [InlineData("{'a':'b'}", "{'a':null}", "{}")]
    [InlineData("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}")]
    [InlineData("{'a':['b']}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'c'}", "{'a':['b']}", "{'a':['b']}")]
    [InlineData("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}")]
    [InlineData("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}")]
    [InlineData("['a','b']", "['c','d']", "['c','d']")]
    [InlineData("{'a':'b'}", "['c']", "['c']")]
    [InlineData("{'a':'foo'}", "null", "null")]
    [InlineData("{'a':'foo'}", "'bar'", "'bar'")]
    [InlineData("{'e':null}", "{'a':1}", "{'e':null,'a':1}")]
    [InlineData("[1,2]", "{'a':'b','c':null}", "{'a':'b'}")]
    [InlineData("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}")]
    [InlineData(
        "{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},'tags':['example','sample'],'content':'This will be unchanged'}",
        "{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},'tags':['example']}",
        "{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}")]
    [InlineData("{'spec':{'replicas':1,'selector':{'matchLabels':{'app':'web'}}}}", "{'spec':{'replicas':3}}", "{'spec':{'replicas':3,'selector':{'matchLabels':{'app':'web'}}}}")]
    [InlineData("{'metadata':{'labels':{'a':'1'}},'spec':{'containers':[{'name':'a'},{'name':'b'}]}}", "{'spec':{'containers':[{'name':'c'}]}}", "{'metadata':{'labels':{'a':'1'}},'spec':{'containers':[{'name':'c'}]}}")]
    public void Apply_FollowsRfc7386(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(Json.Parse(target), Json.Text(patch));

        Json.Equal(expected, result);
    }

    [Fact]
    public void Apply_LeavesTheTargetAlone()
    {
        var target = Json.Parse("{'a':{'b':1}}");

        var result = JsonMergePatch.Apply(target, Json.Parse("{'a':{'c':2}}"));

        Json.Equal("{'a':{'b':1,'c':2}}", result);
        Json.Equal("{'a':{'b':1}}", target);
    }

    [Fact]
    public void Apply_MalformedJson_IsBadRequest()
    {
        var error = Assert.Throws<PatchException>(() => JsonMergePatch.Apply(new JsonObject(), "{'a'"));

        Assert.Equal(400, error.StatusCode);
    }
}
