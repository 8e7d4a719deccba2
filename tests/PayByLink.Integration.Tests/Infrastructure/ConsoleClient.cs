using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Staff;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>
/// A browser as far as the console's HTTP is concerned: its own cookies, redirects not followed (the tests look at
/// them), and each form post carrying the token of the page it was read from.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClientHandler _handler;

    public ConsoleClient(string baseUrl)
    {
        _handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        Http = new HttpClient(_handler) { BaseAddress = new Uri(baseUrl + "/") };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies => _handler.CookieContainer;

    /// <summary>Adds the person to the merchant with the role, through the same use case as the admin command.</summary>
    public static async Task<string> AddUserAsync(SuiteFixture suite, string merchantId, StaffRole role, string? email = null)
    {
        email ??= $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..20] + "@example.com";
        await suite.Runtime.Services.GetRequiredService<StaffAdministration>().AddAsync(merchantId, email, role.ToString(), CancellationToken.None);
        return email;
    }

    /// <summary>Signs in with the development sign-in, as a browser would: the form, then its post.</summary>
    public static async Task<ConsoleClient> SignedInAsync(SuiteFixture suite, string email)
    {
        var client = new ConsoleClient(suite.BaseUrl);
        var (status, location) = await client.SignInAsync(email);
        status.ShouldBe(HttpStatusCode.Found, location);
        return client;
    }

    public async Task<(HttpStatusCode Status, string Location)> SignInAsync(string email, string returnUrl = "/console")
    {
        var form = await GetAsync("console/dev/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var answer = await PostAsync("console/dev/sign-in", Token(form.Html), new() { ["email"] = email, ["returnUrl"] = returnUrl });
        return (answer.Status, answer.Location ?? answer.Html);
    }

    public async Task<ConsoleAnswer> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return await ConsoleAnswer.ReadAsync(response);
    }

    /// <summary>Posts a form with the given token (null: none, as a forged post would).</summary>
    public async Task<ConsoleAnswer> PostAsync(string path, string? token, Dictionary<string, string> fields)
    {
        var values = new Dictionary<string, string>(fields);
        if (token is not null)
        {
            values["__form"] = token;
        }

        using var response = await Http.PostAsync(path, new FormUrlEncodedContent(values));
        return await ConsoleAnswer.ReadAsync(response);
    }

    /// <summary>Posts a file as a page's form would without script: multipart, with the page's token.</summary>
    public async Task<ConsoleAnswer> UploadAsync(string pagePath, string postPath, string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Token((await GetAsync(pagePath)).Html)), "__form" },
            { new ByteArrayContent(content) { Headers = { ContentType = new("text/csv") } }, "file", fileName },
        };
        using var response = await Http.PostAsync(postPath, form);
        return await ConsoleAnswer.ReadAsync(response);
    }

    /// <summary>The page once its text shows <paramref name="text"/> (or after <paramref name="seconds"/>), read again and again.</summary>
    public async Task<ConsoleAnswer> WaitForTextAsync(string path, string text, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var page = await GetAsync(path.TrimStart('/'));
            if (page.Text.Contains(text, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return page;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Reads a page, then posts its form with the page's token.</summary>
    public async Task<ConsoleAnswer> SubmitAsync(string pagePath, string postPath, Dictionary<string, string> fields) =>
        await PostAsync(postPath, Token((await GetAsync(pagePath)).Html), fields);

    public static string Token(string html) => TokenPattern().Match(html) is { Success: true } m
        ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new InvalidOperationException("The page has no form token.");

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("name=\"__form\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

public sealed record ConsoleAnswer(HttpStatusCode Status, string Html, string? Location, System.Net.Http.Headers.HttpResponseHeaders Headers, string? ContentType)
{
    public static async Task<ConsoleAnswer> ReadAsync(HttpResponseMessage response) => new(response.StatusCode,
        await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString, response.Headers,
        response.Content.Headers.ContentType?.MediaType);

    /// <summary>The page's text with its markup taken out and its entities read, for asserting on what a person reads.</summary>
    public string Text => WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(Html, "<[^>]+>", " "), @"\s+", " "));
}
