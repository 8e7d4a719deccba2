using Microsoft.AspNetCore.Http;

namespace PayByLink.Http;

/// <summary>
/// What every answer carries, the API's and the pages' alike: HTTPS only from the first visit on (HSTS, which a
/// browser takes only over HTTPS) and no content-type sniffing. Set as the answer starts, so that an error answer
/// written after the response was cleared carries it too.
/// </summary>
public static class TransportSecurity
{
    public const string Hsts = "max-age=31536000; includeSubDomains";

    public static void OnEveryAnswer(HttpResponse response) => response.OnStarting(() =>
    {
        response.Headers.StrictTransportSecurity = Hsts;
        response.Headers.XContentTypeOptions = "nosniff";
        return Task.CompletedTask;
    });
}
