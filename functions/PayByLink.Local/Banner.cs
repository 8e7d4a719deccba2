namespace PayByLink.Local;

/// <summary>What the local runtime prints when it is ready: where everything is and a request to paste.</summary>
public static class Banner
{
    public static string For(LocalRuntime runtime, DevelopmentKey developmentKey)
    {
        var key = developmentKey.Key;
        var api = $"{runtime.BaseUrl}/api/v1";
        return $$$"""

                PayByLink is running locally.
                  API            {{{api}}}
                  API reference  {{{runtime.BaseUrl}}}/scalar
                  OpenAPI        {{{runtime.BaseUrl}}}/openapi/v1.json
                  Outbox         {{{runtime.BaseUrl}}}/dev/outbox
                  Webhooks       {{{runtime.BaseUrl}}}/dev/webhooks
                  Storage        {{{runtime.StorageDescription}}}
                  Merchant       {{{DevelopmentMerchant.Id}}} ({{{DevelopmentMerchant.Merchant.DisplayName}}})
                  Key            {{{key}}}
                                 ({{{developmentKey.Source}}})

                Create a payment request:
                  curl -s -X POST {{{api}}}/payment-requests \
                    -H 'Ocp-Apim-Subscription-Key: {{{key}}}' \
                    -H 'Content-Type: application/json' \
                    -d '{"clientTransactionRef":"WELCOME-1","amount":25.00,"accountReference":"ACC-1","reason":"Welcome payment","customer":{"firstName":"Sam","lastName":"Jones","mobileNumber":"07700 900100","email":"sam@example.com"}}'

                Then open the short link in its SMS at {{{runtime.BaseUrl}}}/dev/outbox: the payment page,
                paid with the built-in test gateway.

                Press Ctrl+C to stop (Azurite, when started here, saves its data and stops too).
                """;
    }
}
