using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PayByLink.Adapters.Secrets;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// The JSON of the documents rows carry (<see cref="StoredJson"/>), with a request's short code and payment token
/// encrypted wherever a request is stored: its row, its reference's claim and the copies its events hold. A document
/// written before they were encrypted is read as it is, and encrypted when next written.
/// </summary>
public sealed class StoredDocuments
{
    public StoredDocuments(SecretProtector protector)
    {
        var encrypted = new EncryptedString(protector);
        Options = new JsonSerializerOptions(StoredJson.Options)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver
            {
                Modifiers =
                {
                    info =>
                    {
                        if (info.Type != typeof(PaymentRequest))
                        {
                            return;
                        }

                        foreach (var property in info.Properties.Where(p =>
                                     p.Name is "shortCode" or "paymentToken"))
                        {
                            property.CustomConverter = encrypted;
                        }
                    },
                },
            },
        };
    }

    public JsonSerializerOptions Options { get; }

    private sealed class EncryptedString(SecretProtector protector) : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            protector.Unprotect(reader.GetString() ?? throw new JsonException("A link of a stored request is null."));

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(protector.Protect(value));
    }
}
