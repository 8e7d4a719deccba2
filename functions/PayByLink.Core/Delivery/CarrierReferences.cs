using System.Security.Cryptography;
using System.Text;
using PayByLink.Core.Domain;

namespace PayByLink.Core.Delivery;

/// <summary>
/// What a send carries to the provider so that its delivery report finds it again. An SMS carries a tag
/// (<c>{merchantId}/{sendId}</c>) that its report repeats. An email's report names only its operation id, a GUID
/// derived from the send id (so a repeated send is the same operation to the provider), which is looked up in
/// <see cref="IDeliveryReferences"/>.
/// </summary>
public static class CarrierReferences
{
    public static string SmsTag(string merchantId, string sendId) => $"{merchantId}/{sendId}";

    public static SendReference? ParseSmsTag(string? tag)
    {
        var slash = tag?.IndexOf('/') ?? -1;
        if (slash <= 0)
        {
            return null;
        }

        var merchantId = tag![..slash];
        var sendId = tag[(slash + 1)..];
        var dot = sendId.IndexOf('.');
        return Merchant.IsValidId(merchantId) && dot > 0 ? new SendReference(merchantId, sendId[..dot], sendId) : null;
    }

    /// <summary>The email operation id of a send: always the same GUID for the same send.</summary>
    public static string EmailOperationId(string sendId) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(sendId)).AsSpan(0, 16)).ToString("D");
}
