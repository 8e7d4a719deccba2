using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Core.Limits;

/// <summary>
/// Slows down link guessing: a client that opens <see cref="MaxMisses"/> payment, short or unsubscribe links that do
/// not exist within one <see cref="Window"/> is refused every such page (and checkout) until the window ends. A client
/// is the address the platform resolved for the connection, never one the client wrote in a header: an IPv4 address,
/// or an IPv6 address's /64 (one subscriber's network). The counts are in storage, shared by every instance; a client
/// found blocked is remembered by the instance until its window ends, so its further tries cost no storage read.
/// Only a hash of the client's address is stored.
/// </summary>
public sealed class LinkGuessLimiter(IGuessCounts counts, IMemoryCache cache, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    public const int MaxMisses = 30;

    public async Task<bool> IsBlockedAsync(IPAddress? address, CancellationToken cancellationToken)
    {
        var (client, window) = (ClientKey(address), CurrentWindow());
        if (cache.TryGetValue(("guesses-blocked", client, window), out _))
        {
            return true;
        }

        if (await counts.CountAsync(client, window, cancellationToken) < MaxMisses)
        {
            return false;
        }

        cache.Set(("guesses-blocked", client, window), true, Window);
        return true;
    }

    public Task MissAsync(IPAddress? address, CancellationToken cancellationToken) =>
        counts.AddAsync(ClientKey(address), CurrentWindow(), cancellationToken);

    /// <summary>The client a connection's address stands for, hashed: IPv4 as it is, IPv6 by its /64.</summary>
    public static string ClientKey(IPAddress? address)
    {
        var text = address switch
        {
            null => "unknown",
            { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
            { AddressFamily: AddressFamily.InterNetworkV6 } => Convert.ToHexStringLower(address.GetAddressBytes(), 0, 8) + "::/64",
            _ => address.ToString(),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("paybylink-link-guess|" + text)), 0, 16);
    }

    private long CurrentWindow() => clock.GetUtcNow().UtcTicks / Window.Ticks;
}
