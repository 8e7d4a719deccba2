using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>Batch files for tests, and the merchant's side of a batch over HTTP: start, upload, wait.</summary>
public static class BatchFiles
{
    public const string Header = "ClientTransactionRef,Amount,AccountReference,Reason,FirstName,LastName,MobileNumber,Email";

    public static string NewRef() => "B-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A valid line in <see cref="Header"/>'s columns.</summary>
    public static string Line(string? reference = null, string amount = "25.00", string lastName = "Smith", string mobile = "07700 900123") =>
        $"{reference ?? NewRef()},{amount},ACC-1,Council tax,Jane,{lastName},{mobile},";

    public static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    public static async Task<(string BatchId, Uri UploadUrl)> StartAsync(this TestMerchant merchant, string fileName = "batch.csv", bool review = false)
    {
        var response = await merchant.Http.PostAsJsonAsync("api/v1/batches", new { fileName, review });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.JsonAsync();
        return (body.Str("batchId"), new Uri(body.Str("uploadUrl")));
    }

    /// <summary>Uploads as a merchant would with curl: a plain PUT of the bytes with x-ms-blob-type.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(Uri uploadUrl, byte[] content)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(content) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await http.SendAsync(request);
    }

    public static async Task<string> StartAndUploadAsync(this TestMerchant merchant, byte[] content)
    {
        var (batchId, url) = await merchant.StartAsync();
        (await UploadAsync(url, content)).StatusCode.ShouldBe(HttpStatusCode.Created);
        return batchId;
    }

    /// <summary>The batch once it is finished (or after <paramref name="seconds"/>).</summary>
    public static async Task<JsonElement> WaitForFinishAsync(this TestMerchant merchant, string batchId, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var body = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}");
            if (body.Str("status") is "Completed" or "CompletedWithErrors" or "Failed" or "Expired" or "Cancelled" || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(150);
        }
    }

    /// <summary>The batch once its status is <paramref name="status"/> (or after <paramref name="seconds"/>).</summary>
    public static async Task<JsonElement> WaitForStatusAsync(this TestMerchant merchant, string batchId, string status, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var body = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}");
            if (body.Str("status") == status || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(150);
        }
    }

    public static int Int(this JsonElement element, string name) => element.GetProperty(name).GetInt32();
}
