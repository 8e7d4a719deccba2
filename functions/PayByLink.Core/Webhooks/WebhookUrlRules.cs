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

    /// <summary>
    /// Public unicast: not loopback, private, link-local, shared, multicast, unspecified or reserved; not Azure's platform
    /// address (168.63.129.16: its DNS, health probes and agent); and no IPv6 form that reaches an IPv4 address through
    /// translation or tunnelling (IPv4-mapped, IPv4-compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4
    /// <c>2002::/16</c>), which would carry a private IPv4 address past the IPv4 rules.
    /// </summary>
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
                     (b[0] == 203 && b[1] == 0 && b[2] == 113) ||
                     (b[0] == 168 && b[1] == 63 && b[2] == 129 && b[3] == 16)); // Azure's platform address
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal ||
                     address.IsIPv6Multicast || (b[0] & 0xfe) == 0xfc || // unique local
                     (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || // documentation
                     address.IsIPv4MappedToIPv6 ||
                     b.Take(12).All(x => x == 0) || // IPv4-compatible ::a.b.c.d (and ::, ::1)
                     (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) || // NAT64 64:ff9b::/96 (and 64:ff9b:1::/48)
                     (b[0] == 0x20 && b[1] == 0x02)); // 6to4 2002::/16
        }

        return false;
    }
}
