using System.ComponentModel.DataAnnotations;

namespace PayByLink.Adapters;

/// <summary>Settings every host reads, from the <c>PayByLink</c> section (<c>PayByLink__PublicBaseUrl</c> as an app setting).</summary>
public sealed class PayByLinkOptions
{
    public const string Section = "PayByLink";

    /// <summary>Where customers reach the hosted pages: the base of every long and short link.</summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "";
}
