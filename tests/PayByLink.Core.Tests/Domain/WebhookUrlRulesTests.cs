using System.Net;
using PayByLink.Core.Webhooks;

namespace PayByLink.Core.Tests.Domain;

public class WebhookUrlRulesTests
{
    private static readonly WebhookUrlRules Azure = new(LocalRuntime: false);
    private static readonly WebhookUrlRules Local = new(LocalRuntime: true);

    [Theory]
    [InlineData("http://example.com/hooks", "https")]
    [InlineData("https://user:secret@example.com/hooks", "credentials")]
    [InlineData("https://example.com/hooks#part", "fragment")]
    [InlineData("https://localhost/hooks", "private")]
    [InlineData("https://127.0.0.1/hooks", "private")]
    [InlineData("https://10.0.0.7/hooks", "private")]
    [InlineData("https://172.20.1.1/hooks", "private")]
    [InlineData("https://192.168.1.10/hooks", "private")]
    [InlineData("https://169.254.169.254/metadata", "private")]
    [InlineData("https://100.64.0.1/hooks", "private")]
    [InlineData("https://0.0.0.0/hooks", "private")]
    [InlineData("https://[::1]/hooks", "private")]
    [InlineData("https://[fd00::1]/hooks", "private")]
    [InlineData("https://[fe80::1]/hooks", "private")]
    [InlineData("https://[::ffff:10.0.0.1]/hooks", "private")]
    [InlineData("/relative", "absolute")]
    [InlineData("", "absolute")]
    public void In_Azure_a_url_that_could_reach_inside_is_refused_when_registered(string url, string reason) =>
        Azure.Check(url).ShouldNotBeNull().ShouldContain(reason);

    [Theory]
    [InlineData("https://hooks.example.com/paybylink")]
    [InlineData("https://93.184.216.34:8443/hooks?source=paybylink")]
    public void In_Azure_a_public_https_url_is_taken(string url) => Azure.Check(url).ShouldBeNull();

    [Theory]
    [InlineData("http://127.0.0.1:5000/hooks")]
    [InlineData("http://localhost:7071/dev/webhooks/receive")]
    [InlineData("https://hooks.example.com/paybylink")]
    public void Locally_http_and_this_machine_are_allowed(string url) => Local.Check(url).ShouldBeNull();

    [Fact]
    public void Locally_credentials_are_still_refused() => Local.Check("http://u:p@127.0.0.1/x").ShouldNotBeNull();

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.53", false)]
    [InlineData("10.255.255.255", false)]
    [InlineData("172.31.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("169.254.0.1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("168.63.129.16", false)]
    [InlineData("168.63.129.17", true)]
    [InlineData("::10.0.0.1", false)]
    [InlineData("::8.8.8.8", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("64:ff9b::808:808", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("2001:4860:4860::8888", true)]
    public void Public_addresses_are_told_from_internal_ones(string address, bool isPublic) =>
        WebhookUrlRules.IsPublic(IPAddress.Parse(address)).ShouldBe(isPublic);
}
