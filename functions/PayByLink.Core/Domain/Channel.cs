namespace PayByLink.Core.Domain;

public enum Channel
{
    Sms,
    Email,
}

public static class Channels
{
    public static string Name(this Channel channel) => channel switch
    {
        Channel.Sms => "sms",
        Channel.Email => "email",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    public static bool TryParse(string? value, out Channel channel)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "sms": channel = Channel.Sms; return true;
            case "email": channel = Channel.Email; return true;
            default: channel = default; return false;
        }
    }
}
