using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters;
using PayByLink.Http;

namespace PayByLink.Local;

/// <summary>
/// The developer's tools (<c>/dev/outbox</c>, <c>/dev/webhooks</c>, <c>/dev/sms/inbound</c>) answer only callers on this
/// machine: they show every message's payment link and every webhook body. Anyone else gets a 404, even when the
/// runtime listens beyond 127.0.0.1, and everyone gets one where the settings say the process runs in Azure
/// (<see cref="HostedInAzure"/>).
/// </summary>
public static class LoopbackOnly
{
    public static bool Allows(IPAddress? caller) => LocalCaller.Is(caller);

    public static ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return Allows(http.Connection.RemoteIpAddress) && !HostedInAzure.Is(http.RequestServices.GetRequiredService<IConfiguration>())
            ? next(context)
            : ValueTask.FromResult<object?>(Results.NotFound());
    }
}
