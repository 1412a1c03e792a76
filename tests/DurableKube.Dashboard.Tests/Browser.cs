using DurableKube.LocalHost.Tests;
using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace DurableKube.Dashboard.Tests;

/// <summary>
/// The local host of the end-to-end tests (<see cref="LocalHostFixture"/>, up.sh as a user runs it) and one headless
/// chromium for all browser tests. Playwright drives Debian's chromium: its own browser download cannot work here.
/// </summary>
public sealed class Browser : LocalHostFixture
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string ExecutablePath = "/usr/lib/chromium/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            // Every test skips (or fails, when the browser is required) on its own; no host is needed.
            return;
        }

        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // The sandbox refuses root, which CI is.
            Args = ["--no-sandbox"],
        });
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (File.Exists(ExecutablePath))
        {
            await base.DisposeAsync();
        }
    }

    /// <summary>Opens a page of the dashboard signed in as <paramref name="user"/>, through the link up.sh writes.</summary>
    /// <param name="route">The app's route (after <c>#</c>), e.g. <c>/pods</c>.</param>
    /// <param name="user">The token: <c>admin</c> or <c>viewer</c>.</param>
    /// <param name="width">The window's width.</param>
    /// <returns>The page, on the route, signed in.</returns>
    public async Task<IPage> OpenAsync(string route = "/", string user = "admin", int width = 1280)
    {
        Assert.True(_browser is not null, $"chromium is required here but missing at {ExecutablePath}");
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            // up.sh's CA is the test run's own; the browser has no way to be told to trust it alone.
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            ColorScheme = ColorScheme.Light,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000);
        await GoAsync(page, $"{BaseAddress}ui/#token={Uri.EscapeDataString(Token(user))}");
        // The token moves to sessionStorage and leaves the address bar.
        await page.WaitForFunctionAsync("() => !location.hash.includes('token=') && sessionStorage.getItem('durablekube.token')");
        await GoAsync(page, $"{BaseAddress}ui/#{route}");
        return page;
    }

    /// <summary>Navigates to <paramref name="url"/> as a person would (see <see cref="LoadAsync"/>).</summary>
    /// <param name="page">The page.</param>
    /// <param name="url">Where to.</param>
    /// <returns>A task that completes when the page has loaded whole.</returns>
    public static Task GoAsync(IPage page, string url) => LoadAsync(page, () => page.GotoAsync(url));

    /// <summary>Reloads as a person would (see <see cref="LoadAsync"/>).</summary>
    /// <param name="page">The page.</param>
    /// <returns>A task that completes when the page has loaded whole.</returns>
    public static Task ReloadAsync(IPage page) => LoadAsync(page, () => page.ReloadAsync());

    /// <summary>
    /// Loads a page as a person would, who presses reload when the browser says the network changed: chromium aborts
    /// requests in flight with <c>ERR_NETWORK_CHANGED</c> whenever a network interface comes or goes on the machine,
    /// which the Docker tests running beside these do with every container they start. It aborts the navigation
    /// itself, or one of the app's modules, and then the document loads without its script and the app never starts:
    /// both are loaded again.
    /// </summary>
    private static async Task LoadAsync(IPage page, Func<Task<IResponse?>> load)
    {
        const string NetworkChanged = "ERR_NETWORK_CHANGED";
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var lost = new ConcurrentQueue<string>();
            void OnRequestFailed(object? sender, IRequest request)
            {
                if (request.Failure?.Contains(NetworkChanged, StringComparison.Ordinal) == true)
                {
                    lost.Enqueue(request.Url);
                }
            }

            page.RequestFailed += OnRequestFailed;
            try
            {
                await load();
                if (lost.IsEmpty)
                {
                    return;
                }

                Assert.True(attempt < Attempts, $"{NetworkChanged} on every one of {Attempts} loads, lastly of {string.Join(", ", lost)}");
            }
            catch (PlaywrightException e) when (attempt < Attempts && e.Message.Contains(NetworkChanged, StringComparison.Ordinal))
            {
            }
            finally
            {
                page.RequestFailed -= OnRequestFailed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
        }
    }

    /// <summary>Gets the repository's root (for the screenshot the README shows).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Functions.sln not found");
        }
    }
}
