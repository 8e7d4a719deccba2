using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Api;
using PayByLink.Http;
using PayByLink.Http.PaymentRequests;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Api;

/// <summary>The Api function app's functions, called directly with real ASP.NET Core requests on Azurite.</summary>
[Collection(SuiteCollection.Name)]
public class PaymentRequestFunctionsTests(SuiteFixture suite) : IDisposable
{
    private readonly ServiceProvider _services = suite.FunctionAppServices();

    private PaymentRequestFunctions Functions => new(_services.GetRequiredService<PaymentRequestServices>());

    [Fact]
    public async Task Create_get_list_and_cancel_through_the_functions()
    {
        var merchant = await suite.NewMerchantAsync();

        var (created, createdBody) = await RunAsync(Request("POST", merchant.Key, Requests.ValidCreate("FN-1").ToJsonString()),
            r => Functions.Create(r, CancellationToken.None));
        created.StatusCode.ShouldBe(StatusCodes.Status201Created);
        created.Headers.Location.ToString().ShouldStartWith("/api/v1/payment-requests/pr_");
        var id = createdBody.Str("requestId");
        createdBody.Str("shortUrl").ShouldStartWith("https://pay.example.com/l/");

        var (_, got) = await RunAsync(Request("GET", merchant.Key), r => Functions.Get(r, id, CancellationToken.None));
        got.Str("clientTransactionRef").ShouldBe("FN-1");

        var listRequest = Request("GET", merchant.Key);
        listRequest.QueryString = new QueryString("?clientTransactionRef=FN-1");
        var (_, list) = await RunAsync(listRequest, r => Functions.List(r, CancellationToken.None));
        list.GetProperty("items")[0].Str("requestId").ShouldBe(id);

        var (updated, body) = await RunAsync(Request("PUT", merchant.Key, """{"status":"Cancelled"}"""),
            r => Functions.UpdateStatus(r, id, CancellationToken.None));
        updated.StatusCode.ShouldBe(StatusCodes.Status200OK);
        body.Str("status").ShouldBe("Cancelled");
    }

    [Fact]
    public async Task A_function_called_without_a_key_answers_401_problem()
    {
        var (response, body) = await RunAsync(Request("GET", null), r => Functions.Get(r, "pr_x", CancellationToken.None));

        response.StatusCode.ShouldBe(StatusCodes.Status401Unauthorized);
        response.ContentType.ShouldBe("application/problem+json");
        body.Str("code").ShouldBe("unauthorized");
    }

    [Fact]
    public async Task A_function_given_bad_input_answers_400_not_500()
    {
        var merchant = await suite.NewMerchantAsync();

        var (response, body) = await RunAsync(Request("POST", merchant.Key, "{\"amount\":\"ten\"}"), r => Functions.Create(r, CancellationToken.None));

        response.StatusCode.ShouldBe(StatusCodes.Status400BadRequest);
        body.GetProperty("errors").TryGetProperty("amount", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_function_whose_storage_is_down_answers_503_storage_unavailable_through_the_worker_middleware()
    {
        var deadPorts = Azurite.FreePorts(3);
        var deadStorage = System.Text.RegularExpressions.Regex.Replace(suite.Azurite.ConnectionString, @"127\.0\.0\.1:\d+",
            _ => $"127.0.0.1:{deadPorts[0]}");
        using var services = suite.FunctionAppServices(new() { ["PayByLinkStorage"] = deadStorage });
        var functions = new PaymentRequestFunctions(services.GetRequiredService<PaymentRequestServices>());
        var request = Request("POST", "pbl_any-key-at-all-will-do-here", Requests.ValidCreate().ToJsonString(), services);

        var (response, body) = await RunAsync(request, r => functions.Create(r, CancellationToken.None));

        response.StatusCode.ShouldBe(StatusCodes.Status503ServiceUnavailable);
        response.Headers.RetryAfter.ToString().ShouldBe(Problems.RetryAfterSeconds.ToString());
        body.Str("code").ShouldBe("storage-unavailable");
    }

    /// <summary>What the worker hands its middleware for an HTTP trigger: the invocation, with the request's HttpContext.</summary>
    private sealed class HttpFunctionContext(HttpContext http) : Microsoft.Azure.Functions.Worker.FunctionContext
    {
        public override string InvocationId => "test-invocation";
        public override string FunctionId => "CreatePaymentRequest";
        public override Microsoft.Azure.Functions.Worker.TraceContext TraceContext => null!;
        public override Microsoft.Azure.Functions.Worker.BindingContext BindingContext => null!;
        public override Microsoft.Azure.Functions.Worker.RetryContext RetryContext => null!;
        public override IServiceProvider InstanceServices { get; set; } = http.RequestServices;
        public override Microsoft.Azure.Functions.Worker.FunctionDefinition FunctionDefinition => null!;
        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object> { ["HttpRequestContext"] = http };
        public override Microsoft.Azure.Functions.Worker.IInvocationFeatures Features => null!;
        public override CancellationToken CancellationToken => CancellationToken.None;
    }

    private HttpRequest Request(string method, string? key, string? json = null, IServiceProvider? services = null)
    {
        var context = new DefaultHttpContext { RequestServices = services ?? _services };
        context.Request.Method = method;
        context.Request.Path = "/" + ApiRoutes.PaymentRequests;
        if (key is not null)
        {
            context.Request.Headers[MerchantAuthentication.KeyHeader] = key;
        }

        if (json is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Runs a function as the worker does: through the Api app's middleware, in the order Program.cs adds it.</summary>
    private static async Task<(HttpResponse Response, JsonElement Body)> RunAsync(HttpRequest request, Func<HttpRequest, Task<IResult>> function)
    {
        var http = request.HttpContext;
        var failures = new HttpFailureMiddleware(http.RequestServices.GetRequiredService<HttpFailures>(), TimeProvider.System);
        await failures.Invoke(new HttpFunctionContext(http), context =>
            new MerchantAuthenticationMiddleware().Invoke(context, async _ => await (await function(request)).ExecuteAsync(http)));
        var response = http.Response;
        response.Body.Position = 0;
        return (response, await JsonSerializer.DeserializeAsync<JsonElement>(response.Body));
    }

    public void Dispose() => _services.Dispose();
}
