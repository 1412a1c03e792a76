using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace DurableKube.Testing;

/// <summary>
/// A test run by hand only (a benchmark, or a fault reproduction that does not pass yet): unless its environment
/// variable is <c>1</c> it is not even discovered, so the suite neither runs nor skips it.
/// </summary>
/// <param name="variable">The environment variable that asks for it.</param>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("DurableKube.Testing.ByHandFactDiscoverer", "DurableKube.Testing")]
public sealed class ByHandFactAttribute(string variable) : FactAttribute
{
    /// <summary>Gets the environment variable that asks for the test.</summary>
    public string Variable { get; } = variable;
}

/// <summary>Discovers <see cref="ByHandFactAttribute"/> methods only when their variable asks for them.</summary>
/// <param name="messages">Where xunit's diagnostics go.</param>
public sealed class ByHandFactDiscoverer(IMessageSink messages) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(factAttribute);
        if (factAttribute.GetConstructorArguments().FirstOrDefault() is not string variable || Environment.GetEnvironmentVariable(variable) != "1")
        {
            return [];
        }

        return [new XunitTestCase(messages, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
    }
}
