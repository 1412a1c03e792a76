using System.Text;
using DurableKube.Api.Content;
using DurableKube.Ports.Store;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Health;

/// <summary><c>/livez</c>, <c>/readyz</c> and <c>/healthz</c>: <c>ok</c>; readyz (and healthz) also ask the store.</summary>
internal sealed class HealthHandler(IObjectStore store, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, string check, string? single)
    {
        var checks = new List<(string Name, Func<CancellationToken, Task<bool>> Probe)> { ("ping", _ => Task.FromResult(true)) };
        if (check != "livez")
        {
            checks.Add(("etcd", StoreAnswersAsync));
        }

        if (single is not null)
        {
            checks = checks.Where(c => c.Name == single).ToList();
            if (checks.Count == 0)
            {
                await ResponseWriter.WriteTextAsync(context, 404, "404 page not found\n", context.RequestAborted);
                return;
            }
        }

        var verbose = context.Request.Query.ContainsKey("verbose");
        var text = new StringBuilder();
        var healthy = true;
        foreach (var (name, probe) in checks)
        {
            var ok = await probe(context.RequestAborted);
            healthy &= ok;
            text.Append(ok ? "[+]" : "[-]").Append(name).Append(ok ? " ok" : " failed: reason withheld").Append('\n');
        }

        if (!healthy || verbose)
        {
            text.Append(check).Append(healthy ? " check passed" : " check failed");
            await ResponseWriter.WriteTextAsync(context, healthy ? 200 : 500, text.ToString(), context.RequestAborted);
            return;
        }

        await ResponseWriter.WriteTextAsync(context, 200, "ok", context.RequestAborted);
    }

    private async Task<bool> StoreAnswersAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await store.GetResourceVersionAsync(linked.Token);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || timeout.IsCancellationRequested)
        {
            return false;
        }
    }
}
