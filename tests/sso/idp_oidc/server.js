// A real OpenID Connect provider for the test suite: panva's oidc-provider (certified), on a loopback port.
// tests/sso/conftest.py starts it as a subprocess. Its accounts and clients come from a JSON file
// (IDP_CONFIG); its development interactions sign in any account that file names (the password is not
// checked: the provider's login is not what PLP tests, PLP's handling of what the provider says is).
import fs from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const config = JSON.parse(fs.readFileSync(process.env.IDP_CONFIG, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: config.clients,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  // Claims go into the ID token itself (as Google's and Entra's do), not only behind userinfo.
  conformIdTokenClaims: false,
  cookies: { keys: ['plp-test-idp-cookie-key'] },
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
