using System.ComponentModel.DataAnnotations;

namespace PayByLink.Notify;

/// <summary>Azure Communication Services settings (<c>Acs__Endpoint</c>, <c>Acs__SmsFrom</c>, <c>Acs__EmailFrom</c>).</summary>
public sealed class AcsOptions
{
    public const string Section = "Acs";

    [Required, Url] public string Endpoint { get; set; } = "";

    /// <summary>The number or alphanumeric sender id SMS come from.</summary>
    [Required] public string SmsFrom { get; set; } = "";

    /// <summary>The verified sender address of the Email domain (DoNotReply@…).</summary>
    [Required, EmailAddress] public string EmailFrom { get; set; } = "";
}
