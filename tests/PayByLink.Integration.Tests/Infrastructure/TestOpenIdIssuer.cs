using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>
/// An OpenID Connect issuer of the test's own, over HTTP on 127.0.0.1, standing in for Microsoft Entra ID: discovery,
/// its signing keys (RS256), the authorization endpoint (signing in whoever the test says, at once) and the token
/// endpoint (checking the client's secret, the redirect and PKCE before it signs an id_token with the nonce).
/// </summary>
public sealed class TestOpenIdIssuer : IAsyncDisposable
{
    public const string ClientId = "console-test-client", ClientSecret = "console-test-secret-0123456789";

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    private sealed record Grant(Person Person, string RedirectUri, string Nonce, string Challenge);

    public sealed record Person(string ObjectId, string Email, string Name);

    /// <summary>Who signs in next, as Entra would name them.</summary>
    public Person? Next { get; set; }

    /// <summary>How many id_tokens the issuer signed.</summary>
    public int TokensIssued;

    public string Authority { get; private set; } = "";

    private TestOpenIdIssuer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = Authority + "/authorize",
            ["token_endpoint"] = Authority + "/token",
            ["jwks_uri"] = Authority + "/keys",
            ["end_session_endpoint"] = Authority + "/logout",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query", "form_post" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email" },
        }));
        _app.MapGet("/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.ExportParameters(false)) { KeyId = "k1" });
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "k1", n = jwk.N, e = jwk.E } } });
        });
        _app.MapGet("/authorize", (HttpRequest request) =>
        {
            var q = request.Query;
            if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256" || Next is null)
            {
                return Results.BadRequest("unexpected authorization request");
            }

            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _codes[code] = new Grant(Next, q["redirect_uri"]!, q["nonce"]!, q["code_challenge"]!);
            return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"]!)}");
        });
        _app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var verifier = form["code_verifier"].ToString();
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret || form["grant_type"] != "authorization_code" ||
                !_codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"] ||
                Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.Challenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            Interlocked.Increment(ref TokensIssued);
            var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Authority,
                Audience = ClientId,
                IssuedAt = DateTime.UtcNow,
                Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
                Claims = new Dictionary<string, object>
                {
                    ["sub"] = "pairwise-" + grant.Person.ObjectId, ["oid"] = grant.Person.ObjectId, ["email"] = grant.Person.Email,
                    ["preferred_username"] = grant.Person.Email, ["name"] = grant.Person.Name, ["nonce"] = grant.Nonce, ["tid"] = "test-tenant",
                },
            });
            return Results.Json(new { access_token = "unused", token_type = "Bearer", expires_in = 300, id_token = token });
        });
        _app.MapGet("/logout", (HttpRequest request) =>
            Results.Redirect(request.Query["post_logout_redirect_uri"].ToString() is { Length: > 0 } back ? back : "/"));
    }

    public static async Task<TestOpenIdIssuer> StartAsync()
    {
        var issuer = new TestOpenIdIssuer();
        await issuer._app.StartAsync();
        issuer.Authority = issuer._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return issuer;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
