using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using Microsoft.OpenApi;

namespace PayByLink.Http.PaymentRequests;

/// <summary>The payment-request API. Both the local runtime and the Functions app call these handlers.</summary>
public static class PaymentRequestsApi
{
    public static IEndpointRouteBuilder MapPaymentRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Payment requests");

        api.MapPost(ApiRoutes.PaymentRequests, Create).WithName("CreatePaymentRequest")
            .WithSummary("Create a payment request")
            .WithDescription("Validates the request, makes its payment links and queues one send per channel. 201 with Location for a new " +
                "request; an identical repeat (same clientTransactionRef and content) answers 200 with the same request and sends nothing; " +
                "the same clientTransactionRef with other content answers 409 duplicate-client-transaction-ref. A new request that would pass " +
                "the merchant's daily message cap for a channel answers 429 daily-cap-reached, with Retry-After the merchant's next midnight.")
            .Accepts<PaymentRequestInput>(ApiJson.ContentType);
        api.MapGet(ApiRoutes.PaymentRequest, Get).WithName("GetPaymentRequest")
            .WithSummary("Get a payment request")
            .WithDescription("One request with its status, links, plan schedule, deliveries (masked recipients) and payments. " +
                "Another merchant's request answers 404 exactly like one that does not exist.");
        api.MapGet(ApiRoutes.PaymentRequests, List).WithName("ListPaymentRequests")
            .WithSummary("List payment requests")
            .WithDescription("Newest first. At least one filter is required; filters combine. Page with continuationToken, which is bound " +
                "to the filters that made it.")
            .WithQueryParameters([
                ApiDocument.Query("customerName", "First, last or full name, any case.", JsonSchemaType.String, "smith"),
                ApiDocument.Query("amount", "Exact amount in major units.", JsonSchemaType.Number, "120.50", "decimal"),
                ApiDocument.Query("accountReference", "Exact account reference.", JsonSchemaType.String, "ACC-42"),
                ApiDocument.Query("clientTransactionRef", "Exact client transaction reference.", JsonSchemaType.String, "INV-1001"),
                ApiDocument.Query("mobileNumber", "Mobile number, in any form the merchant's region reads.", JsonSchemaType.String, "07700 900123"),
                ApiDocument.Query("status", "Pending, Sent, Opened, Paid, Cancelled, Expired or Failed.", JsonSchemaType.String, "Sent"),
                ApiDocument.Query("createdFrom", "Created at or after (ISO 8601).", JsonSchemaType.String, "2026-12-01T00:00:00Z", "date-time"),
                ApiDocument.Query("createdTo", "Created before (ISO 8601).", JsonSchemaType.String, "2026-12-31T00:00:00Z", "date-time"),
                .. ApiDocument.ContinuationPaging("eyJ…")]);
        api.MapPut(ApiRoutes.PaymentRequest, UpdateStatus).WithName("UpdatePaymentRequestStatus")
            .WithSummary("Cancel a payment request, or mark it paid")
            .WithDescription("{\"status\":\"Cancelled\"} or {\"status\":\"Paid\"} for an open (Pending, Sent or Opened) request. Repeating the " +
                "status it already has answers 200 unchanged; any other change answers 409 status-change-not-allowed with currentStatus.")
            .Accepts<StatusChange>(ApiJson.ContentType);
        api.MapPost(ApiRoutes.ResendPaymentRequest, Resend).WithName("ResendPaymentRequest")
            .WithSummary("Send the link again")
            .WithDescription("Sends an open request's link again on one channel, to the customer's mobile or email or to a corrected one, which " +
                "replaces it (a send goes to the contact as it stands when it is sent). Counted against the daily cap, held back by an opt-out " +
                "like any send, recorded as payment_request.resent. 202 " +
                "with the request; 409 request-closed for a request no longer open.")
            .Accepts<ResendRequest>(ApiJson.ContentType);
        return app;
    }

    public static async Task<Results<Accepted<PaymentRequestView>, ValidationProblem, NotFoundProblem, ConflictProblem, BodyProblem, TooManyRequestsProblem>>
        Resend(HttpRequest http, string requestId, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();
        var (body, problem) = await JsonBody.ReadAsync<ResendRequest>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await services.Resend.ExecuteAsync(merchant, requestId, new ResendInput(body!.Channel, body.MobileNumber, body.Email), http.Actor(),
            cancellationToken);
        return result.Outcome switch
        {
            ResendOutcome.NotFound => Problems.NotFound("Payment request"),
            ResendOutcome.Closed => Problems.Conflict("request-closed", $"A {result.Request!.Status} request is not sent again.",
                "Only a Pending, Sent or Opened request can be sent again.", new() { ["currentStatus"] = result.Request.Status.ToString() }),
            ResendOutcome.DailyCapReached => Problems.DailyCapReached(result.Cap!, services.Caps.UntilNextDay(merchant)),
            ResendOutcome.Invalid => Problems.Validation(result.Errors),
            _ => TypedResults.Accepted($"/{ApiRoutes.PaymentRequests}/{requestId}", await services.ViewAsync(result.Request!, cancellationToken)),
        };
    }

    public static async Task<Results<Created<PaymentRequestView>, Ok<PaymentRequestView>, ValidationProblem, ConflictProblem, BodyProblem, TooManyRequestsProblem>> Create(HttpRequest http, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var (input, problem) = await JsonBody.ReadAsync<PaymentRequestInput>(http, i => services.Create.Check(merchant, i), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await services.Create.ExecuteAsync(merchant, input!, http.Actor(), cancellationToken);
        return result.Outcome switch
        {
            CreateOutcome.Created => TypedResults.Created(
                $"/{ApiRoutes.PaymentRequests}/{result.Request!.RequestId}", PaymentRequestView.From(result.Request, services.Links)),
            CreateOutcome.AlreadyExists => TypedResults.Ok(await services.ViewAsync(result.Request!, cancellationToken)),
            CreateOutcome.InProgress => Problems.Conflict("create-in-progress",
                "An identical request with this clientTransactionRef is still being created.",
                "Repeat the same request after Retry-After: it answers with the request once its create has finished.",
                retryAfterSeconds: (int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds)),
            CreateOutcome.Conflict => Problems.Conflict("duplicate-client-transaction-ref",
                "The clientTransactionRef is already used by a different request.",
                "Use a new clientTransactionRef, or repeat the original request exactly.",
                new() { ["requestId"] = result.Request!.RequestId }),
            CreateOutcome.DailyCapReached => Problems.DailyCapReached(result.Cap!, services.Caps.UntilNextDay(merchant)),
            _ => Problems.Validation(result.Errors),
        };
    }

    public static async Task<Results<Ok<PaymentRequestView>, NotFoundProblem>> Get(HttpRequest http, string requestId, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var found = await services.Requests.FindAsync(merchant.Id, requestId, cancellationToken);
        return found is null
            ? Problems.NotFound("Payment request")
            : TypedResults.Ok(await services.ViewAsync(found.Value, cancellationToken));
    }

    public static async Task<Results<Ok<PaymentRequestListView>, ValidationProblem>> List(HttpRequest http, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var parsed = PaymentRequestQuery.Parse(name => http.Query[name].FirstOrDefault(), merchant);
        if (parsed.Value is not { } query)
        {
            return Problems.Validation(parsed.Errors);
        }

        try
        {
            var page = await services.Requests.ListAsync(merchant.Id, query.Filter, query.PageSize, query.ContinuationToken, cancellationToken);
            return TypedResults.Ok(new PaymentRequestListView(page.Items.Select(PaymentRequestSummaryView.From).ToList(), page.ContinuationToken));
        }
        catch (InvalidContinuationTokenException e)
        {
            return Problems.Validation("continuationToken", "invalid_continuation_token", e.Message);
        }
    }

    public static async Task<Results<Ok<PaymentRequestView>, ValidationProblem, NotFoundProblem, ConflictProblem, BodyProblem>> UpdateStatus(
        HttpRequest http, string requestId, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var (change, problem) = await JsonBody.ReadAsync<StatusChange>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!StatusTransitions.TryParse(change!.Status, out var target) || !StatusTransitions.SettableByMerchant.Contains(target))
        {
            return Problems.Validation("status", "invalid_status", "status must be Cancelled or Paid.");
        }

        var result = await services.UpdateStatus.ExecuteAsync(merchant.Id, requestId, target, http.Actor(), cancellationToken);
        return result.Outcome switch
        {
            StatusUpdateOutcome.NotFound => Problems.NotFound("Payment request"),
            StatusUpdateOutcome.NotAllowed => Problems.Conflict("status-change-not-allowed",
                $"A {result.Request!.Status} request cannot become {target}.",
                "Only a Pending, Sent or Opened request can be cancelled or marked paid.",
                new() { ["currentStatus"] = result.Request.Status.ToString() }),
            _ => TypedResults.Ok(await services.ViewAsync(result.Request!, cancellationToken)),
        };
    }
}
