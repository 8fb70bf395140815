// A real OpenID Connect provider for the SSO tests: panva's oidc-provider, on 127.0.0.1.
// Usage: node server.mjs <port> <planportal base url>
// Prints "ready <issuer>" once it listens. Any login name signs in with any password; the
// login name is the account's stable subject id (sub). Accounts whose login starts with
// "utan-epost" have no e-mail claim.
import Provider from "oidc-provider";

const [port, planportal] = [Number(process.argv[2]), process.argv[3].replace(/\/$/, "")];
const issuer = `http://127.0.0.1:${port}`;

const client = (id) => ({
  client_id: id,
  client_secret: `${id}-secret`,
  redirect_uris: [`${planportal}/konto/oidc/${id}/login/callback/`],
  post_logout_redirect_uris: [`${planportal}/`],
  token_endpoint_auth_method: "client_secret_post",
});

const provider = new Provider(issuer, {
  clients: [client("testregion"), client("snabbregion")],
  pkce: { required: () => true },
  // The "snabbregion" client's codes expire after a second, for the expired-code test.
  ttl: {
    AuthorizationCode: (ctx, code, theClient) => (theClient.clientId === "snabbregion" ? 1 : 60),
  },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "family_name"] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ["planportal-test-only-cookie-key"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, name: `Testperson ${id}`, given_name: "Testperson", family_name: id };
        if (!id.startsWith("utan-epost")) {
          Object.assign(claims, { email: `${id}@exempel.invalid`, email_verified: true });
        }
        return claims;
      },
    };
  },
});
provider.proxy = false;
provider.on("server_error", (ctx, err) => console.error("server_error", err));

provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
