using System.Security.Cryptography;
using System.Text;
using PayByLink.Core.Webhooks;

namespace PayByLink.Core.Tests.Domain;

public class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"evt_pr_1_1\",\"type\":\"payment_request.created\"}");
    private static readonly DateTimeOffset At = new(2026, 12, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void The_header_is_t_and_an_hmac_of_t_dot_body_per_secret()
    {
        var header = WebhookSignature.Sign(["whsec_a", "whsec_b"], At, Body);

        var t = At.ToUnixTimeSeconds();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_a"),
            Encoding.UTF8.GetBytes($"{t}.").Concat(Body).ToArray()));
        header.ShouldStartWith($"t={t},v1={expected},v1=");
        WebhookSignature.Verify(header, Body, "whsec_b", At).Valid.ShouldBeTrue();
    }

    [Fact]
    public void A_wrong_secret_a_changed_body_a_stale_time_and_a_missing_header_fail()
    {
        var header = WebhookSignature.Sign(["whsec_a"], At, Body);

        WebhookSignature.Verify(header, Body, "whsec_other", At).Reason.ShouldBe("no v1 signature matches the secret");
        WebhookSignature.Verify(header, [.. Body, (byte)' '], "whsec_a", At).Valid.ShouldBeFalse();
        WebhookSignature.Verify(header, Body, "whsec_a", At + TimeSpan.FromMinutes(6)).Reason.ShouldBe("the timestamp is outside the tolerance");
        WebhookSignature.Verify(header, Body, "whsec_a", At - TimeSpan.FromMinutes(6)).Valid.ShouldBeFalse();
        WebhookSignature.Verify(null, Body, "whsec_a", At).Valid.ShouldBeFalse();
        WebhookSignature.Verify(header.Replace("t=", "t=1"), Body, "whsec_a", At).Valid.ShouldBeFalse();
    }

    [Fact]
    public void Retries_back_off_exponentially_with_jitter()
    {
        var policy = WebhookRetryPolicy.Default;
        policy.Backoff(1, jitter: 1).ShouldBe(TimeSpan.FromMinutes(1));
        policy.Backoff(1, jitter: 0.5).ShouldBe(TimeSpan.FromSeconds(30));
        policy.Backoff(1, jitter: 0).ShouldBe(TimeSpan.FromMilliseconds(10));
        policy.Backoff(4, jitter: 1).ShouldBe(TimeSpan.FromMinutes(8));
        policy.Backoff(30, jitter: 1).ShouldBe(TimeSpan.FromHours(6));
    }
}
