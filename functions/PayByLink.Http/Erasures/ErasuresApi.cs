using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Erasure;

namespace PayByLink.Http.Erasures;

public sealed record NewErasureRequest(
    [property: Description("The person's mobile number (national numbers read in the merchant's region); or give email.")] string? MobileNumber,
    [property: Description("The person's email address; or give mobileNumber.")] string? Email);

public sealed record ErasureView(
    [property: Description("Requests to that person whose personal data this call erased (cancelled first if still open). 0 when a call before erased them.")]
    int Requests,
    [property: Description("Opt-outs for that person now kept only as a keyed hash: they still hold back every send, and leave the list.")]
    int OptOuts,
    [property: Description("Batch lines whose record as uploaded held the person, now forgotten.")]
    int BatchLines,
    DateTime ErasedAt);

/// <summary>
/// A person's request to have their data erased (UK GDPR article 17), made through the merchant: every row of the
/// merchant's holding that person's data has it removed, and the answer counts what changed. The person is still never
/// sent to again where they opted out. Safe to repeat.
/// </summary>
public static class ErasuresApi
{
    public static IEndpointRouteBuilder MapErasuresApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/").WithTags("Erasures").MapPost(ApiRoutes.Erasures, Erase).WithName("ErasePersonalData")
            .WithSummary("Erase a person's data")
            .WithDescription(
                "Removes a person's personal data (name, mobile, email, reason, passphrase) from every request of the merchant's to that " +
                "mobile number or email (requests still open are cancelled first), from their events, sends, index and claim, and from batch " +
                "lines; an opt-out for them is kept as a keyed hash so they are never sent to again. Each request records " +
                "payment_request.erased, with no personal data. 200 with the counts; repeating it changes nothing more.")
            .Accepts<NewErasureRequest>(ApiJson.ContentType);
        return app;
    }

    public static async Task<Results<Ok<ErasureView>, ValidationProblem, BodyProblem>> Erase(HttpRequest http, ErasePerson erasure,
        CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();
        var (body, problem) = await JsonBody.ReadAsync<NewErasureRequest>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await erasure.EraseAsync(merchant, new ErasureInput(body!.MobileNumber, body.Email), http.Actor(), cancellationToken);
        if (!result.IsValid)
        {
            return Problems.Validation(result.Errors);
        }

        var erased = result.Value!;
        return TypedResults.Ok(new ErasureView(erased.Requests, erased.OptOuts, erased.BatchLines, erased.ErasedAt.UtcDateTime));
    }
}
