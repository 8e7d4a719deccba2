using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using Polly.Timeout;
using PayByLink.Core.Webhooks;

namespace PayByLink.Adapters.Webhooks;

/// <summary>
/// Posts webhooks over a connection the rules allow: the host is resolved here and the connection made only to an
/// allowed address, so a name that resolves (or is re-pointed) to a private address is refused at delivery, not
/// only at registration. Redirects are not followed; cookies are not kept.
/// </summary>
public sealed class HttpWebhookClient(IHttpClientFactory clients) : IWebhookClient
{
    /// <summary>The named client of the HTTP client factory that webhooks are posted with.</summary>
    public const string ClientName = "webhooks";

    /// <summary>Registers the client, and its named HTTP client over connections the rules allow.</summary>
    public static IServiceCollection AddTo(IServiceCollection services)
    {
        // The retry is the queue's (with the policy's backoff): the call itself has a timeout only.
        services.AddHttpClient(ClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => Handler(sp.GetRequiredService<WebhookUrlRules>(), sp.GetRequiredService<IHostResolver>(),
                sp.GetRequiredService<WebhookRetryPolicy>().Timeout))
            .RemoveAllLoggers() // its request lines would repeat every merchant's endpoint URL
            .AddResilienceHandler("webhook-timeout", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<WebhookRetryPolicy>().Timeout));
        services.TryAddSingleton<IWebhookClient, HttpWebhookClient>();
        return services;
    }

    private static SocketsHttpHandler Handler(WebhookUrlRules rules, IHostResolver resolver, TimeSpan timeout) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = timeout,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
            var allowed = addresses.Where(rules.Allows).ToList();
            if (allowed.Count == 0)
            {
                throw new WebhookAddressRefusedException(host);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public async Task<WebhookResponse> PostAsync(Uri url, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("PayByLink-Webhooks/1.0");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return new WebhookResponse((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"The endpoint answered {(int)response.StatusCode}.");
        }
        catch (TimeoutRejectedException e)
        {
            return new WebhookResponse(null, $"No answer within {e.Timeout.TotalSeconds:0.#} seconds.");
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookAddressRefusedException refused)
        {
            return new WebhookResponse(null, refused.Message);
        }
        catch (HttpRequestException e)
        {
            return new WebhookResponse(null, $"Could not connect: {e.HttpRequestError}.");
        }
    }
}
