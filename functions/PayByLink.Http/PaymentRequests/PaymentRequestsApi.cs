using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Payments;
using PayByLink.Core.Ports;

namespace PayByLink.Http.PaymentRequests;

/// <summary>What the payment-request handlers need, gathered once.</summary>
public sealed record PaymentRequestServices(
    MerchantAuthenticator Authenticator,
    CreatePaymentRequest Create,
    UpdatePaymentRequestStatus UpdateStatus,
    IPaymentRequestStore Requests,
    IDeliveryStore Deliveries,
    IPaymentStore Payments,
    PaymentLinks Links);

/// <summary>The payment-request API. Both the local runtime and the Functions app call these handlers.</summary>
public static class PaymentRequestsApi
{
    public static IEndpointRouteBuilder MapPaymentRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Payment requests");

        api.MapPost(ApiRoutes.PaymentRequests, Create).WithName("CreatePaymentRequest")
            .Accepts<PaymentRequestInput>(ApiJson.ContentType)
            .Produces<PaymentRequestView>(StatusCodes.Status201Created).Produces<PaymentRequestView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet(ApiRoutes.PaymentRequest, Get).WithName("GetPaymentRequest")
            .Produces<PaymentRequestView>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet(ApiRoutes.PaymentRequests, List).WithName("ListPaymentRequests")
            .Produces<PaymentRequestListView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapPut(ApiRoutes.PaymentRequest, UpdateStatus).WithName("UpdatePaymentRequestStatus")
            .Accepts<StatusChange>(ApiJson.ContentType)
            .Produces<PaymentRequestView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<IResult> Create(HttpRequest http, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        if (await services.Authenticator.AuthenticateAsync(http, cancellationToken) is not { } merchant)
        {
            return Problems.Unauthorized();
        }

        var (input, problem) = await JsonBody.ReadAsync<PaymentRequestInput>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await services.Create.ExecuteAsync(merchant, input!, cancellationToken);
        return result.Outcome switch
        {
            CreateOutcome.Created => TypedResults.Created(
                $"/{ApiRoutes.PaymentRequests}/{result.Request!.RequestId}", PaymentRequestView.From(result.Request, services.Links)),
            CreateOutcome.AlreadyExists => TypedResults.Ok(PaymentRequestView.From(result.Request!, services.Links)),
            CreateOutcome.Conflict => Problems.Conflict("duplicate-client-transaction-ref",
                "The clientTransactionRef is already used by a different request.",
                "Use a new clientTransactionRef, or repeat the original request exactly.",
                new() { ["requestId"] = result.Request!.RequestId }),
            _ => Problems.Validation(result.Errors),
        };
    }

    public static async Task<IResult> Get(HttpRequest http, string requestId, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        if (await services.Authenticator.AuthenticateAsync(http, cancellationToken) is not { } merchant)
        {
            return Problems.Unauthorized();
        }

        var found = await services.Requests.FindAsync(merchant.Id, requestId, cancellationToken);
        return found is null
            ? Problems.NotFound("Payment request")
            : TypedResults.Ok(PaymentRequestView.From(found.Value, services.Links,
                await services.Deliveries.ListAsync(merchant.Id, requestId, cancellationToken),
                await services.Payments.ListAsync(merchant.Id, requestId, cancellationToken)));
    }

    public static async Task<IResult> List(HttpRequest http, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        if (await services.Authenticator.AuthenticateAsync(http, cancellationToken) is not { } merchant)
        {
            return Problems.Unauthorized();
        }

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

    public static async Task<IResult> UpdateStatus(HttpRequest http, string requestId, PaymentRequestServices services,
        CancellationToken cancellationToken)
    {
        if (await services.Authenticator.AuthenticateAsync(http, cancellationToken) is not { } merchant)
        {
            return Problems.Unauthorized();
        }

        var (change, problem) = await JsonBody.ReadAsync<StatusChange>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!StatusTransitions.TryParse(change!.Status, out var target) || !StatusTransitions.SettableByMerchant.Contains(target))
        {
            return Problems.Validation("status", "invalid_status", "status must be Cancelled or Paid.");
        }

        var result = await services.UpdateStatus.ExecuteAsync(merchant.Id, requestId, target, cancellationToken);
        return result.Outcome switch
        {
            StatusUpdateOutcome.NotFound => Problems.NotFound("Payment request"),
            StatusUpdateOutcome.NotAllowed => Problems.Conflict("status-change-not-allowed",
                $"A {result.Request!.Status} request cannot become {target}.",
                "Only a Pending, Sent or Opened request can be cancelled or marked paid.",
                new() { ["currentStatus"] = result.Request.Status.ToString() }),
            _ => TypedResults.Ok(PaymentRequestView.From(result.Request!, services.Links)),
        };
    }
}
