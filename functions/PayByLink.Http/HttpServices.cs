using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Http.Batches;
using PayByLink.Http.Pages;
using PayByLink.Http.PaymentRequests;

namespace PayByLink.Http;

public static class HttpServices
{
    /// <summary>What the HTTP surface needs in either host: the handlers' services and how JSON is written.</summary>
    public static IServiceCollection AddPayByLinkHttp(this IServiceCollection services)
    {
        services.AddSingleton<PaymentRequestServices>();
        services.AddSingleton<BatchServices>();
        services.AddSingleton<PaymentPageServices>();
        services.AddSingleton<Events.EventServices>();
        services.AddSingleton<Carrier.CarrierEvents>();
        services.AddPayByLinkEventBodies();

        // Pages are Razor components rendered on the server, the customer's and the console's alike. Every character
        // that means something in HTML is encoded; letters of any script and symbols such as £ are written as they are.
        services.AddRazorComponents();
        services.TryAddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));

        // Every error is a problem with the same members, whoever writes it; a request that throws is answered once.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Complete);
        services.AddSingleton<HttpFailures>();
        services.AddSingleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler>(sp => sp.GetRequiredService<HttpFailures>());

        // What the framework writes is the API's JSON too.
        services.ConfigureHttpJsonOptions(o => ApiJson.Apply(o.SerializerOptions));
        return services;
    }

    /// <summary>How events are written as webhook bodies: for every host that delivers webhooks.</summary>
    public static IServiceCollection AddPayByLinkEventBodies(this IServiceCollection services)
    {
        services.TryAddSingleton<Core.Webhooks.IEventBodies, Events.EventBodies>();
        return services;
    }
}
