using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Http.Suppressions;

public sealed record NewOptOutRequest(
    [property: Description("A mobile number (national numbers read in the merchant's region); or give email.")] string? MobileNumber,
    [property: Description("An email address; or give mobileNumber.")] string? Email);

public sealed record OptOutView(
    [property: Description("sms or email.")] string Channel,
    [property: Description("E.164, for sms.")] string? MobileNumber,
    string? Email,
    [property: Description("merchant (this list, removable), unsubscribe (the customer's one click) or stop (the customer texted STOP; START lifts it).")]
    string Source,
    DateTime CreatedAt)
{
    public static OptOutView From(OptOut o) => new(o.Channel.Name(), o.Channel == Core.Domain.Channel.Sms ? o.Recipient : null,
        o.Channel == Core.Domain.Channel.Email ? o.Recipient : null, o.Source.ToString().ToLowerInvariant(), o.CreatedAt.UtcDateTime);
}

public sealed record OptOutListView(IReadOnlyList<OptOutView> Items, string? ContinuationToken);

/// <summary>
/// The merchant's suppression list: recipients no send goes to. It lists the merchant's own entries, customers'
/// one-click unsubscribes, and the STOPs that have held back the merchant's SMS.
/// </summary>
public static class OptOutsApi
{
    public static IEndpointRouteBuilder MapOptOutsApi(this IEndpointRouteBuilder app)
    {
        var optOuts = app.MapGroup("/").WithTags("Opt-outs");
        optOuts.MapGet(ApiRoutes.OptOuts, List).WithName("ListOptOuts")
            .WithSummary("List opt-outs")
            .WithDescription("Recipients no send (first, reminder or instalment) goes to: by channel, then recipient.")
            .WithQueryParameters(
                ApiDocument.ContinuationPaging("c21z…"));
        optOuts.MapPost(ApiRoutes.OptOuts, Add).WithName("AddOptOut")
            .WithSummary("Add an opt-out")
            .WithDescription("Stops every later send to a mobile number or an email. 201, or 200 when it was already there.")
            .Accepts<NewOptOutRequest>(ApiJson.ContentType);
        optOuts.MapDelete(ApiRoutes.OptOuts, Remove).WithName("RemoveOptOut")
            .WithSummary("Remove an opt-out")
            .WithDescription("Takes a recipient the merchant added off the list. 204. A customer's own STOP or unsubscribe answers 409.")
            .WithQueryParameters(
                ApiDocument.Query("mobileNumber", "The mobile number to take off; or give email.", JsonSchemaType.String, "07700 900123"),
                ApiDocument.Query("email", "The email to take off; or give mobileNumber.", JsonSchemaType.String, "jane@example.com"));
        return app;
    }

    public static async Task<Results<Ok<OptOutListView>, ValidationProblem>> List(HttpRequest http, Core.Delivery.OptOuts optOuts,
        CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var errors = new FieldErrors();
        var pageSize = Paging.PageSize(http.Query["pageSize"].FirstOrDefault(), errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.All);
        }

        try
        {
            var page = await optOuts.ListAsync(merchant.Id, pageSize, http.Query["continuationToken"].FirstOrDefault(), cancellationToken);
            return TypedResults.Ok(new OptOutListView(page.Items.Select(OptOutView.From).ToList(), page.ContinuationToken));
        }
        catch (InvalidContinuationTokenException e)
        {
            return Problems.Validation("continuationToken", "invalid_continuation_token", e.Message);
        }
    }

    public static async Task<Results<Created<OptOutView>, Ok<OptOutView>, ValidationProblem, BodyProblem>> Add(HttpRequest http, Core.Delivery.OptOuts optOuts,
        CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var (body, problem) = await JsonBody.ReadAsync<NewOptOutRequest>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await optOuts.AddAsync(merchant, new OptOutInput(body!.MobileNumber, body.Email), cancellationToken);
        if (!result.IsValid)
        {
            return Problems.Validation(result.Errors);
        }

        var view = OptOutView.From(result.Value!.OptOut);
        return result.Value.Created ? TypedResults.Created($"/{ApiRoutes.OptOuts}", view) : TypedResults.Ok(view);
    }

    public static async Task<Results<NoContent, ValidationProblem, NotFoundProblem, ConflictProblem>> Remove(HttpRequest http, Core.Delivery.OptOuts optOuts,
        CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var result = await optOuts.RemoveAsync(merchant, http.Query["mobileNumber"].FirstOrDefault(), http.Query["email"].FirstOrDefault(),
            cancellationToken);
        return !result.IsValid
            ? Problems.Validation(result.Errors)
            : result.Value!.Outcome switch
            {
                OptOutRemoval.Removed => TypedResults.NoContent(),
                OptOutRemoval.NotFound => Problems.NotFound("Opt-out"),
                _ => Problems.Conflict("customer-opt-out", "The customer opted out themselves.",
                    result.Value.OptOut!.Source == OptOutSource.Stop
                        ? "The customer texted STOP; only their START lifts it."
                        : "The customer unsubscribed with one click; it cannot be taken off."),
            };
    }
}
