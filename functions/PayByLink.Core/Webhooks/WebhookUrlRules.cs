using System.Net;
using System.Net.Sockets;

namespace PayByLink.Core.Webhooks;

/// <summary>
/// Which URLs may receive webhooks. Always an absolute URL without credentials. In Azure: https only, and only to
/// public addresses (never private, loopback, link-local or other internal ranges), checked when the endpoint is
/// registered and again, against the address actually connected to, at every delivery. The local runtime also
/// allows http, and any address, since it runs on the developer's own machine.
/// </summary>
public sealed record WebhookUrlRules(bool LocalRuntime)
{
    public const int MaxLength = 2048;

    /// <summary>Why the URL is refused before any lookup, or null.</summary>
    public string? Check(string? url)
    {
        // A path alone is not absolute here, though .NET on Linux reads "/x" as a file URI.
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxLength || !url.Contains("://", StringComparison.Ordinal) ||
            !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"url must be an absolute URL of at most {MaxLength} characters.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(LocalRuntime && uri.Scheme == Uri.UriSchemeHttp))
        {
            return LocalRuntime ? "url must use https (or http, locally)." : "url must use https.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "url must not carry credentials.";
        }

        if (uri.Fragment.Length > 0)
        {
            return "url must not have a fragment.";
        }

        if (!LocalRuntime && (uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) && !IsPublic(ip))))
        {
            return "url must not point at a private, loopback or link-local address.";
        }

        return null;
    }

    /// <summary>Whether a delivery may connect to the address.</summary>
    public bool Allows(IPAddress address) => LocalRuntime || IsPublic(address);

    /// <summary>Public unicast: not loopback, private, link-local, shared, multicast, unspecified or reserved.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 || b[0] >= 224 ||
                     (b[0] == 100 && b[1] >= 64 && b[1] < 128) || // shared address space
                     (b[0] == 169 && b[1] == 254) ||
                     (b[0] == 172 && b[1] >= 16 && b[1] < 32) ||
                     (b[0] == 192 && b[1] == 168) ||
                     (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) ||
                     (b[0] == 198 && b[1] is 18 or 19) ||
                     (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
                     (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal ||
                     address.IsIPv6Multicast || (b[0] & 0xfe) == 0xfc || // unique local
                     (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || // documentation
                     address.IsIPv4MappedToIPv6);
        }

        return false;
    }
}
