using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Api;
using PayByLink.Core.Limits;
using PayByLink.Http.Pages;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Api;

/// <summary>The Api app's page functions called directly: the short link redirect, and guessing slowed per client address.</summary>
[Collection(SuiteCollection.Name)]
public class PaymentPageFunctionsTests(SuiteFixture suite) : IDisposable
{
    private readonly ServiceProvider _services = suite.FunctionAppServices(new()
    {
        ["PayByLink:PublicBaseUrl"] = suite.BaseUrl,
        ["Payments:Gateway"] = "test",
    });

    private PaymentPageFunctions Functions => new(_services.GetRequiredService<PaymentPageServices>());

    private Task<HttpResponse> ShortLinkAsync(string code, string clientAddress) =>
        ShortLinkThroughTheHostAsync(code, clientAddress, forwardedFor: null);

    /// <summary>
    /// The short link as the Api app's worker receives it: from the Functions host on this machine, with the
    /// <c>X-Forwarded-For</c> the platform passed on, read by the forwarded-headers step the worker's ASP.NET Core
    /// integration configures (all forwarded headers, no limit, the default known proxies: loopback only).
    /// </summary>
    private async Task<HttpResponse> ShortLinkThroughTheHostAsync(string code, string connection, string? forwardedFor)
    {
        // As a host does: each request with its own scope of services, its scheme and its host.
        using var scope = _services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("pay.example.com");
        context.Connection.RemoteIpAddress = IPAddress.Parse(connection);
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        context.Response.Body = new MemoryStream();
        var worker = new Microsoft.AspNetCore.HttpOverrides.ForwardedHeadersMiddleware(async http =>
            {
                var result = await Functions.ShortLink(http.Request, code, CancellationToken.None);
                await result.ExecuteAsync(http);
            },
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Builder.ForwardedHeadersOptions
            {
                ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.All,
                ForwardLimit = null,
            }));
        await worker.Invoke(context);
        return context.Response;
    }

    [Fact]
    public async Task The_short_link_function_redirects_to_the_payment_page()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync();

        var response = await ShortLinkAsync(new Uri(created.Str("shortUrl")).Segments[^1], "198.51.100.7");

        response.StatusCode.ShouldBe(StatusCodes.Status302Found);
        response.Headers.Location.ToString().ShouldBe(created.Str("longUrl"));
    }

    [Fact]
    public async Task Repeated_guessing_from_one_address_is_refused_while_other_addresses_are_not()
    {
        var (client, other) = (RandomAddress(), RandomAddress());
        for (var i = 0; i < LinkGuessLimiter.MaxMisses; i++)
        {
            (await ShortLinkAsync($"Guess{i:D5}", client)).StatusCode.ShouldBe(StatusCodes.Status404NotFound);
        }

        (await ShortLinkAsync("GuessAgain", client)).StatusCode.ShouldBe(StatusCodes.Status429TooManyRequests);
        (await ShortLinkAsync("GuessOther", other)).StatusCode.ShouldBe(StatusCodes.Status404NotFound);
    }

    [Fact]
    public async Task A_client_that_rotates_its_own_forwarded_for_entries_is_still_limited()
    {
        var client = RandomAddress();
        for (var i = 0; i < LinkGuessLimiter.MaxMisses; i++)
        {
            // What the client wrote comes first; the platform appends the address it connected from.
            (await ShortLinkThroughTheHostAsync($"Rotate{i:D5}", "127.0.0.1", $"198.18.{i}.{i + 1}, {client}")).StatusCode
                .ShouldBe(StatusCodes.Status404NotFound);
        }

        (await ShortLinkThroughTheHostAsync("RotateMore", "127.0.0.1", $"198.18.200.1, {client}")).StatusCode
            .ShouldBe(StatusCodes.Status429TooManyRequests);
    }

    [Fact]
    public async Task A_client_that_writes_another_clients_address_cannot_lock_that_client_out()
    {
        var (attacker, victim) = (RandomAddress(), RandomAddress());
        for (var i = 0; i < LinkGuessLimiter.MaxMisses + 5; i++)
        {
            await ShortLinkThroughTheHostAsync($"Spoof{i:D5}", "127.0.0.1", $"{victim}, {attacker}");
        }

        (await ShortLinkThroughTheHostAsync("Spoofed", "127.0.0.1", $"{victim}, {attacker}")).StatusCode
            .ShouldBe(StatusCodes.Status429TooManyRequests, "the attacker itself is limited");
        (await ShortLinkThroughTheHostAsync("Victim", "127.0.0.1", victim)).StatusCode.ShouldBe(StatusCodes.Status404NotFound);
    }

    [Fact]
    public void Ipv6_clients_are_counted_by_their_64_bit_prefix_and_mapped_ipv4_as_ipv4()
    {
        LinkGuessLimiter.ClientKey(IPAddress.Parse("2001:db8:1:2::1")).ShouldBe(LinkGuessLimiter.ClientKey(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        LinkGuessLimiter.ClientKey(IPAddress.Parse("2001:db8:1:3::1")).ShouldNotBe(LinkGuessLimiter.ClientKey(IPAddress.Parse("2001:db8:1:2::1")));
        LinkGuessLimiter.ClientKey(IPAddress.Parse("::ffff:203.0.113.9")).ShouldBe(LinkGuessLimiter.ClientKey(IPAddress.Parse("203.0.113.9")));
        LinkGuessLimiter.ClientKey(IPAddress.Parse("203.0.113.9")).ShouldNotContain("203");
    }

    /// <summary>An address of its own for each test: the counts are shared by every instance, and by the suite's tests.</summary>
    private static string RandomAddress() => $"203.0.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";

    public void Dispose() => _services.Dispose();
}
