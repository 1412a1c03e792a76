namespace DurableKube.Hosting.Tests.Layers;

/// <summary>The layering rules catch a bad arrow, so <see cref="LayeringTests"/> cannot pass for want of one.</summary>
public sealed class LayeringRulesTests
{
    private const string Doc = " (docs/architecture.md, Layers)";

    [Theory]
    [InlineData(Layering.Ports, Layering.Domain)]
    [InlineData(Layering.Registry, Layering.Domain)]
    [InlineData(Layering.Registry, Layering.Ports)]
    [InlineData(Layering.Api, Layering.Ports)]
    [InlineData(Layering.Api, Layering.Registry)]
    [InlineData(Layering.Workflows, Layering.Domain)]
    [InlineData(Layering.Workflows, Layering.Registry)]
    [InlineData(Layering.Store, Layering.Ports)]
    [InlineData(Layering.Runtime, Layering.Domain)]
    [InlineData(Layering.Hosting, Layering.Registry)]
    [InlineData(Layering.Hosting, Layering.Store)]
    [InlineData(Layering.Hosting, Layering.Runtime)]
    [InlineData(Layering.LocalHost, Layering.Hosting)]
    [InlineData(Layering.LocalHost, Layering.Api)]
    [InlineData(Layering.Functions, Layering.Hosting)]
    [InlineData(Layering.Functions, Layering.Workflows)]
    public void An_arrow_pointing_down_is_allowed(string from, string to)
    {
        Assert.Null(Layering.Check(from, to));
    }

    [Theory]
    [InlineData(Layering.Api, Layering.Workflows, "Api and Workflows sit side by side")]
    [InlineData(Layering.Workflows, Layering.Api, "Api and Workflows sit side by side")]
    [InlineData(Layering.Domain, Layering.Ports, "the domain is the bottom layer and references nothing of ours")]
    [InlineData(Layering.Domain, Layering.Registry, "the domain is the bottom layer and references nothing of ours")]
    [InlineData(Layering.Ports, Layering.Registry, "arrows point down only: Ports may reference only Domain")]
    [InlineData(Layering.Ports, Layering.Api, "arrows point down only: Ports may reference only Domain")]
    [InlineData(Layering.Registry, Layering.Api, "arrows point down only: Registry may reference only Domain, Ports")]
    [InlineData(Layering.Registry, Layering.Workflows, "arrows point down only: Registry may reference only Domain, Ports")]
    [InlineData(Layering.Store, Layering.Runtime, "adapters sit side by side and never reference each other")]
    [InlineData(Layering.Runtime, Layering.Store, "adapters sit side by side and never reference each other")]
    [InlineData(Layering.RuntimeAci, Layering.Runtime, "adapters sit side by side and never reference each other")]
    [InlineData(Layering.RuntimeDocker, Layering.Runtime, "adapters sit side by side and never reference each other")]
    [InlineData(Layering.Store, Layering.Registry, "an adapter implements the ports and references only Domain and Ports")]
    [InlineData(Layering.Runtime, Layering.Workflows, "an adapter implements the ports and references only Domain and Ports")]
    [InlineData(Layering.Store, Layering.Api, "an adapter implements the ports and references only Domain and Ports")]
    [InlineData(Layering.Api, Layering.Store, "only the composition and the hosts reference an adapter; the layers above reach it through the ports")]
    [InlineData(Layering.Workflows, Layering.Runtime, "only the composition and the hosts reference an adapter; the layers above reach it through the ports")]
    [InlineData(Layering.Registry, Layering.Store, "only the composition and the hosts reference an adapter; the layers above reach it through the ports")]
    [InlineData(Layering.Api, Layering.Hosting, "only the hosts reference the composition")]
    [InlineData(Layering.Runtime, Layering.Hosting, "an adapter implements the ports and references only Domain and Ports")]
    [InlineData(Layering.Hosting, Layering.LocalHost, "nothing references a host")]
    [InlineData(Layering.LocalHost, Layering.Functions, "nothing references a host")]
    [InlineData(Layering.Functions, Layering.LocalHost, "nothing references a host")]
    [InlineData(Layering.Api, Layering.Functions, "nothing references a host")]
    public void An_arrow_up_or_sideways_is_named_with_the_rule_it_breaks(string from, string to, string rule)
    {
        Assert.Equal($"{from} -> {to}: {rule}{Doc}", Layering.Check(from, to));
    }

    [Fact]
    public void The_message_reads_as_the_doc_says()
    {
        Assert.Equal("DurableKube.Api -> DurableKube.Workflows: Api and Workflows sit side by side (docs/architecture.md, Layers)", Layering.Check(Layering.Api, Layering.Workflows));
    }

    [Fact]
    public void Exactly_the_arrows_the_table_lists_are_allowed()
    {
        var projects = Layering.MayReference.Keys.ToList();

        Assert.All(
            projects.SelectMany(from => projects.Where(to => to != from).Select(to => (from, to))),
            arrow => Assert.Equal(Layering.MayReference[arrow.from].Contains(arrow.to), Layering.Check(arrow.from, arrow.to) is null));
    }

    [Fact]
    public void Nothing_may_reference_a_host_and_only_hosts_may_reference_the_composition()
    {
        Assert.All(Layering.MayReference, row => Assert.DoesNotContain(Layering.LocalHost, row.Value));
        Assert.All(Layering.MayReference, row => Assert.DoesNotContain(Layering.Functions, row.Value));
        Assert.Equal([Layering.Functions, Layering.LocalHost], Layering.MayReference.Where(row => row.Value.Contains(Layering.Hosting)).Select(row => row.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("DurableKube.Elsewhere", Layering.Domain, "DurableKube.Elsewhere has no place in the layering")]
    [InlineData(Layering.Api, "DurableKube.Elsewhere", "DurableKube.Elsewhere has no place in the layering")]
    public void A_project_the_layering_does_not_know_is_refused(string from, string to, string expected)
    {
        Assert.StartsWith($"{from} -> {to}: {expected}", Layering.Check(from, to), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Layering.Domain, "System.Runtime", true)]
    [InlineData(Layering.Domain, "System.Text.Json", true)]
    [InlineData(Layering.Domain, "KubernetesClient", true)]
    [InlineData(Layering.Domain, "YamlDotNet", true)]
    [InlineData(Layering.Domain, "Microsoft.Extensions.Primitives", true)]
    [InlineData(Layering.Domain, "Microsoft.Extensions.Logging.Abstractions", true)]
    [InlineData(Layering.Domain, "Microsoft.Extensions.Hosting", false)]
    [InlineData(Layering.Domain, "Microsoft.Extensions.Options", false)]
    [InlineData(Layering.Domain, "Azure.Core", false)]
    [InlineData(Layering.Domain, "Azure.Data.Tables", false)]
    [InlineData(Layering.Domain, "DurableTask.Core", false)]
    [InlineData(Layering.Domain, "Microsoft.DurableTask.Abstractions", false)]
    [InlineData(Layering.Domain, "Microsoft.AspNetCore.App", false)]
    [InlineData(Layering.Domain, "Microsoft.AspNetCore.Http.Abstractions", false)]
    [InlineData(Layering.Domain, "SystemX", false)]
    [InlineData(Layering.Ports, "Microsoft.Extensions.Hosting.Abstractions", true)]
    [InlineData(Layering.Ports, "KubernetesClient", true)]
    [InlineData(Layering.Ports, "Azure.Core", false)]
    [InlineData(Layering.Ports, "Azure.Storage.Queues", false)]
    [InlineData(Layering.Ports, "Microsoft.Azure.Functions.Worker", false)]
    [InlineData(Layering.Ports, "Microsoft.Azure.DurableTask.Core", false)]
    [InlineData(Layering.Ports, "DurableTask.Core", false)]
    [InlineData(Layering.Ports, "Microsoft.DurableTask.Client", false)]
    [InlineData(Layering.Ports, "Microsoft.AspNetCore.App", false)]
    [InlineData(Layering.Ports, "Microsoft.AspNetCore.Http.Abstractions", false)]
    [InlineData(Layering.Ports, "AzureX", true)]
    [InlineData(Layering.Store, "Azure.Data.Tables", true)]
    [InlineData(Layering.Workflows, "Microsoft.DurableTask.Client", true)]
    [InlineData(Layering.Api, "Microsoft.AspNetCore.Http.Abstractions", true)]
    public void Only_the_domain_and_the_ports_are_held_to_third_party_rules(string from, string reference, bool allowed)
    {
        var message = Layering.CheckThirdParty(from, reference);

        Assert.Equal(allowed, message is null);
        Assert.True(allowed || message!.StartsWith($"{from} -> {reference}: ", StringComparison.Ordinal), message);
    }

    [Fact]
    public void Every_bad_arrow_of_a_reference_set_is_reported_and_no_good_one()
    {
        var violations = Layering.Violations(
            Layering.Api,
            ours: [Layering.Ports, Layering.Domain, Layering.Workflows, Layering.Store, Layering.Domain],
            thirdParty: ["System.Runtime", "Microsoft.AspNetCore.Http.Abstractions", "YamlDotNet"]);

        Assert.Equal(
            [
                $"{Layering.Api} -> {Layering.Store}: only the composition and the hosts reference an adapter; the layers above reach it through the ports{Doc}",
                $"{Layering.Api} -> {Layering.Workflows}: Api and Workflows sit side by side{Doc}",
            ],
            violations);
    }

    [Fact]
    public void A_domain_that_reaches_for_azure_is_reported_for_both_arrows()
    {
        var violations = Layering.Violations(Layering.Domain, ours: [Layering.Ports], thirdParty: ["System.Runtime", "KubernetesClient", "Azure.Data.Tables"]);

        Assert.Equal(2, violations.Count);
        Assert.StartsWith($"{Layering.Domain} -> {Layering.Ports}: the domain is the bottom layer", violations[0], StringComparison.Ordinal);
        Assert.StartsWith($"{Layering.Domain} -> Azure.Data.Tables: the domain is pure", violations[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_set_that_keeps_to_the_layering_has_no_violations()
    {
        Assert.Empty(Layering.Violations(Layering.Hosting, ours: [Layering.Api, Layering.Workflows, Layering.Store, Layering.Runtime, Layering.Ports, Layering.Domain], thirdParty: ["Microsoft.Extensions.Options"]));
        Assert.Empty(Layering.Violations(Layering.Domain, ours: [], thirdParty: ["System.Runtime", "System.Collections", "KubernetesClient"]));
    }
}
