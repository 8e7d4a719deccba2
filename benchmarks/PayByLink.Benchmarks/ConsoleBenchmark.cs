using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Domain;
using PayByLink.Core.Staff;
using PayByLink.Local;

namespace PayByLink.Benchmarks;

/// <summary>
/// Console pages beside the API calls that serve their data, with the same requests stored: the list page beside the
/// list call, a request's page and its live progress beside the request's GET. Signed in as an agent through the
/// development sign-in, cookies kept as a browser keeps them.
/// </summary>
public static partial class ConsoleBenchmark
{
    /// <summary>A browser's client signed in to the console as <paramref name="email"/>, with the given role.</summary>
    public static async Task<HttpClient> SignInAsync(LocalRuntime runtime, Merchant merchant, string email, string role)
    {
        await runtime.Services.GetRequiredService<StaffAdministration>().AddAsync(merchant.Id, email, role, CancellationToken.None);
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var console = new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri(runtime.BaseUrl + "/") };
        var form = await console.GetStringAsync("console/dev/sign-in");
        using var signIn = await console.PostAsync("console/dev/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__form"] = WebUtility.HtmlDecode(Token().Match(form).Groups[1].Value), ["email"] = email,
        }));
        return signIn.StatusCode == HttpStatusCode.Found
            ? console
            : throw new InvalidOperationException($"The development sign-in answered {(int)signIn.StatusCode}.");
    }

    public static async Task RunAsync(LocalRuntime runtime, HttpClient api, Merchant merchant, int stored, int calls)
    {
        using var console = await SignInAsync(runtime, merchant, "bench-agent@example.com", "agent");
        var list = await api.GetStringAsync("api/v1/payment-requests?customerName=smith&pageSize=25");
        var requestId = RequestId().Match(list).Groups[1].Value;
        // A request's page shows the request and its timeline: the API serves them in two calls, made at once as a
        // client showing the same would make them.
        string[] request = [$"api/v1/payment-requests/{requestId}", $"api/v1/payment-requests/{requestId}/events"];
        var pairs = new (string Page, string ConsolePath, string[] ApiPaths)[]
        {
            ("list, name filter", "console/requests?name=smith", ["api/v1/payment-requests?customerName=smith&pageSize=25"]),
            ("list, status filter", "console/requests?status=Pending", ["api/v1/payment-requests?status=Pending&pageSize=25"]),
            ("a request's page", $"console/requests/{requestId}", request),
            ("its live progress", $"console/requests/{requestId}/progress", request),
        };

        Console.WriteLine();
        Console.WriteLine($"## Console pages beside the API, {stored:N0} requests stored, one caller");
        Console.WriteLine();
        Console.WriteLine("| page | API calls that serve its data | API p50 / p99 ms | console page p50 / p99 ms | p99 ratio (target ≤ 2×) |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var (page, consolePath, apiPaths) in pairs)
        {
            async Task Get(HttpClient client, string path)
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}.");
                }

                await response.Content.ReadAsByteArrayAsync();
            }

            Task Api(int _) => Task.WhenAll(apiPaths.Select(path => Get(api, path)));
            await Latency.MeasureAsync(20, 1, Api);
            await Latency.MeasureAsync(20, 1, _ => Get(console, consolePath));
            var apiCall = await Latency.MeasureAsync(calls, 1, Api);
            var consolePage = await Latency.MeasureAsync(calls, 1, _ => Get(console, consolePath));
            var served = string.Join(" + ", apiPaths.Select(p => "GET /" + p.Split('?')[0].Replace(requestId, "{id}")));
            Console.WriteLine($"| {page} | {served} | {apiCall.P50:F1} / {apiCall.P99:F1} | {consolePage.P50:F1} / {consolePage.P99:F1} | {consolePage.P99 / apiCall.P99:F2}× |");
        }
    }

    [GeneratedRegex("name=\"__form\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("\"requestId\":\"([^\"]+)\"")]
    private static partial Regex RequestId();
}
