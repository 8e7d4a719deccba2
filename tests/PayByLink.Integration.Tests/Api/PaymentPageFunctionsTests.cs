using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Api;
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

    private async Task<HttpResponse> ShortLinkAsync(string code, string clientAddress)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Connection.RemoteIpAddress = IPAddress.Parse(clientAddress);
        context.Response.Body = new MemoryStream();
        var result = await Functions.ShortLink(context.Request, code, CancellationToken.None);
        await result.ExecuteAsync(context);
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
        for (var i = 0; i < LinkGuessLimiter.Burst; i++)
        {
            (await ShortLinkAsync($"Guess{i:D5}", "203.0.113.9")).StatusCode.ShouldBe(StatusCodes.Status404NotFound);
        }

        (await ShortLinkAsync("GuessAgain", "203.0.113.9")).StatusCode.ShouldBe(StatusCodes.Status429TooManyRequests);
        (await ShortLinkAsync("GuessOther", "203.0.113.10")).StatusCode.ShouldBe(StatusCodes.Status404NotFound);
    }

    public void Dispose() => _services.Dispose();
}
