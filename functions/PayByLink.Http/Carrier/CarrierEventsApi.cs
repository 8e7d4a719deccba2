using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PayByLink.Http.Carrier;

/// <summary>
/// <c>POST /api/acs/events</c>: where Event Grid delivers Azure Communication Services' delivery reports and inbound
/// SMS. Event Grid proves it is the caller with the secret in the URL's <c>key</c> parameter; anything else is 401.
/// Not part of the merchant's API, so not in its description.
/// </summary>
public static class CarrierEventsApi
{
    public static IEndpointRouteBuilder MapCarrierEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + ApiRoutes.CarrierEvents, Receive).WithName("CarrierEvents").ExcludeFromDescription();
        app.MapMethods("/" + ApiRoutes.CarrierEvents, [HttpMethods.Options], Handshake).ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> Receive(HttpRequest http, CarrierEvents events, CancellationToken cancellationToken)
    {
        if (!events.IsAuthorized(http.Query[CarrierEvents.KeyParameter].FirstOrDefault()))
        {
            return Unauthorized();
        }

        if (await JsonBody.ReadBoundedAsync(http, cancellationToken) is not { } body)
        {
            return Problems.PayloadTooLarge(JsonBody.MaxBytes);
        }

        try
        {
            var result = await events.HandleAsync(BinaryData.FromBytes(body), cancellationToken);
            return result.ValidationCode is { } code ? TypedResults.Ok(new SubscriptionValidationAnswer(code)) : TypedResults.Ok();
        }
        catch (FormatException e)
        {
            return Problems.BadRequest("invalid-events", "The body is not an Event Grid or CloudEvents delivery.", e.Message);
        }
    }

    /// <summary>The CloudEvents webhook handshake (OPTIONS with <c>WebHook-Request-Origin</c>): Event Grid may deliver.</summary>
    public static IResult Handshake(HttpRequest http, CarrierEvents events)
    {
        if (!events.IsAuthorized(http.Query[CarrierEvents.KeyParameter].FirstOrDefault()))
        {
            return Unauthorized();
        }

        var origin = http.Headers["WebHook-Request-Origin"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(origin))
        {
            return Problems.BadRequest("missing-origin", "WebHook-Request-Origin is required.", "Only the CloudEvents webhook handshake uses OPTIONS here.");
        }

        http.HttpContext.Response.Headers["WebHook-Allowed-Origin"] = origin;
        http.HttpContext.Response.Headers["WebHook-Allowed-Rate"] = "*";
        return TypedResults.Ok();
    }

    private static IResult Unauthorized() =>
        Problems.Unauthorized("Missing or invalid key.", "Event Grid calls this endpoint with the key in the URL's key parameter.");

    /// <summary>Event Grid's subscription validation answer: <c>{"validationResponse": code}</c>.</summary>
    public sealed record SubscriptionValidationAnswer(string ValidationResponse);
}
