using System.Net;

namespace PayByLink.Http;

/// <summary>Whether a caller is on this machine: a loopback address, IPv4 or IPv6 (an IPv4 one mapped into IPv6 too).</summary>
public static class LocalCaller
{
    public static bool Is(IPAddress? caller) =>
        caller is not null && IPAddress.IsLoopback(caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller);
}
