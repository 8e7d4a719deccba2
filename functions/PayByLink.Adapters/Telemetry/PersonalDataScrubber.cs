using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace PayByLink.Adapters.Telemetry;

/// <summary>
/// Takes what would carry personal data or a bearer secret out of every span and log record before any exporter sees
/// it: addresses lose their query strings (list filters such as <c>customerName</c> and <c>mobileNumber</c>, SAS
/// signatures), table keys in storage URLs (<c>OptOuts(PartitionKey='…',RowKey='email|jane@example.com')</c>,
/// <c>PaymentLinks(PartitionKey='{code}')</c>) become <c>(…)</c>, and the tokens and codes in the customer's paths
/// (<c>/pay/{token}</c>, <c>/l/{code}</c>, <c>/unsubscribe/{token}</c>) their route's name. Registered ahead of the
/// exporters, so it runs first.
/// </summary>
public static partial class PersonalDataScrubber
{
    /// <summary>Span attributes that hold an address or a part of one (<c>url.query</c> is dropped whole).</summary>
    private static readonly HashSet<string> AddressTags =
        ["url.full", "url.path", "http.url", "http.target", "az.table.name", "server.address.path", "db.statement"];

    public static string Scrub(string text)
    {
        var withoutQuery = QueryString().Replace(text, "");
        var withoutKeys = TableKeys().Replace(withoutQuery, "(…)");
        return CustomerPath().Replace(withoutKeys, m => $"/{m.Groups["route"].Value}/{{{(m.Groups["route"].Value == "l" ? "code" : "token")}}}");
    }

    [GeneratedRegex(@"\?[^\s""']*")]
    private static partial Regex QueryString();

    [GeneratedRegex(@"\((?:PartitionKey|RowKey)=[^)]*\)|\('[^)]*'\)")]
    private static partial Regex TableKeys();

    [GeneratedRegex(@"/(?<route>pay|l|unsubscribe)/[^/\s?""']+", RegexOptions.IgnoreCase)]
    private static partial Regex CustomerPath();

    public sealed class Spans : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            foreach (var (key, value) in data.TagObjects.ToList())
            {
                if (key == "url.query")
                {
                    data.SetTag(key, null);
                }
                else if (value is string text && (AddressTags.Contains(key) || text.Contains("://", StringComparison.Ordinal)))
                {
                    data.SetTag(key, Scrub(text));
                }
            }

            data.DisplayName = Scrub(data.DisplayName);
            if (data.StatusDescription is { } description)
            {
                data.SetStatus(data.Status, Scrub(description));
            }
        }
    }

    public sealed class Logs : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            if (data.FormattedMessage is { } message)
            {
                data.FormattedMessage = Scrub(message);
            }

            if (data.Body is { } body)
            {
                data.Body = Scrub(body);
            }

            if (data.Attributes is { Count: > 0 } attributes)
            {
                data.Attributes = attributes.Select(a => a.Value is string text ? new KeyValuePair<string, object?>(a.Key, Scrub(text)) : a).ToList();
            }
        }
    }
}
