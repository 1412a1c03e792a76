using System.Reflection;
using DurableKube.Functions.Api;
using Microsoft.Azure.Functions.Worker;

namespace DurableKube.Functions.Tests.Support;

/// <summary>The [Function] methods of the Functions app, found by reflection as the SDK's metadata generator finds them.</summary>
internal static class FunctionCatalog
{
    public static Assembly Assembly { get; } = typeof(KubernetesApiFunction).Assembly;

    public static IReadOnlyList<(string Name, MethodInfo Method)> All { get; } =
        Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Attribute: m.GetCustomAttribute<FunctionAttribute>(), Method: m))
            .Where(f => f.Attribute is not null)
            .Select(f => (f.Attribute!.Name, f.Method))
            .ToList();

    /// <summary>The functions whose trigger parameter carries <typeparamref name="TTrigger"/>, with that parameter.</summary>
    public static IReadOnlyList<(string Name, MethodInfo Method, ParameterInfo Trigger, TTrigger Attribute)> WithTrigger<TTrigger>()
        where TTrigger : Attribute =>
        All.SelectMany(f => f.Method.GetParameters()
                .Select(p => (Parameter: p, Attribute: p.GetCustomAttribute<TTrigger>()))
                .Where(p => p.Attribute is not null)
                .Select(p => (f.Name, f.Method, p.Parameter, p.Attribute!)))
            .ToList();

    /// <summary>Each function with the attribute of its trigger (an HTTP request, a queue message, a durable work item, a schedule...).</summary>
    public static IReadOnlyList<(string Name, Attribute Trigger)> Triggers { get; } =
        All.SelectMany(f => f.Method.GetParameters()
                .SelectMany(p => p.GetCustomAttributes<Microsoft.Azure.Functions.Worker.Extensions.Abstractions.TriggerBindingAttribute>())
                .Select(a => (f.Name, (Attribute)a)))
            .ToList();
}
