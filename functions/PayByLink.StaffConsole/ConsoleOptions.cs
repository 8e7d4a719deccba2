namespace PayByLink.StaffConsole;

/// <summary>
/// The console's settings (section <c>Console</c>). With an <see cref="Authority"/>, staff sign in with Microsoft Entra ID
/// (or any OpenID Connect issuer); without one, off Azure only, the development sign-in answers this machine.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>A session ends after this long without a request.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The OpenID Connect issuer, such as <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The console's app registration.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Only a test's own issuer on this machine is read over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool UsesOpenIdConnect => !string.IsNullOrWhiteSpace(Authority);
}
