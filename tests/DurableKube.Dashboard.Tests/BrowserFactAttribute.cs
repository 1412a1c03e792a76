namespace DurableKube.Dashboard.Tests;

/// <summary>
/// A test that needs Debian's chromium (<see cref="Browser.ExecutablePath"/>): skipped with the reason where it is
/// missing, unless <c>DURABLEKUBE_REQUIRE_BROWSER=1</c> (set by .ci/run), where it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Initializes a new instance of the <see cref="BrowserFactAttribute"/> class.</summary>
    public BrowserFactAttribute()
    {
        if (!File.Exists(Browser.ExecutablePath) && Environment.GetEnvironmentVariable("DURABLEKUBE_REQUIRE_BROWSER") != "1")
        {
            Skip = $"chromium is not installed ({Browser.ExecutablePath}): apt-get install -y chromium, or set DURABLEKUBE_REQUIRE_BROWSER=1 to fail instead.";
        }
    }
}
