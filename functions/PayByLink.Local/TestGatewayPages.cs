using PayByLink.Adapters.Payments;
using PayByLink.Core.Domain;
using PayByLink.Core.Payments;
using PayByLink.Http.Pages;

namespace PayByLink.Local;

/// <summary>
/// The test gateway's own checkout page, served only by the local runtime: clearly labelled, Approve or Decline.
/// Either way it calls the suite back exactly as a provider would (a signed POST to the callback endpoint), then
/// returns the customer to the payment page.
/// </summary>
public static class TestGatewayPages
{
    public static IEndpointRouteBuilder MapTestGateway(this IEndpointRouteBuilder app)
    {
        var gateway = app.MapGroup("/test-gateway").ExcludeFromDescription();
        gateway.MapGet("/{session}", Show);
        gateway.MapPost("/{session}/approve", (string session, IPaymentGateway payments, TimeProvider clock, CancellationToken ct) =>
            CompleteAsync(session, payments, approved: true, clock, ct));
        gateway.MapPost("/{session}/decline", (string session, IPaymentGateway payments, TimeProvider clock, CancellationToken ct) =>
            CompleteAsync(session, payments, approved: false, clock, ct));
        return app;
    }

    private static IResult Show(string session, IPaymentGateway payments)
    {
        if (Read(session, payments) is not { } checkout)
        {
            return CustomerPages.Message("Test gateway", "Unknown checkout", "This test checkout does not exist or was altered.",
                StatusCodes.Status404NotFound, kind: "bad");
        }

        return CustomerPages.Render<TestGatewayPage>(new
        {
            Session = session, checkout.MerchantName, checkout.Description, Amount = Currency.Find(checkout.Currency).Format(checkout.Amount),
        });
    }

    private static async Task<IResult> CompleteAsync(string session, IPaymentGateway payments, bool approved, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (payments is not TestPaymentGateway gateway || gateway.ReadSession(session) is not { } checkout)
        {
            return Results.NotFound();
        }

        await gateway.SendCallbackAsync(checkout, approved, clock.GetUtcNow(), cancellationToken);
        return Results.Redirect(approved ? checkout.SuccessUrl : checkout.CancelUrl);
    }

    private static TestCheckoutSession? Read(string session, IPaymentGateway payments) =>
        payments is TestPaymentGateway gateway ? gateway.ReadSession(session) : null;
}
