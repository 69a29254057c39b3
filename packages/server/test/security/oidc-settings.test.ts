import { describe, expect, it } from 'vitest';
import { readOidcSettings, readPasswordVariable } from '../../src/environment.ts';
import { OidcFlow } from '../../src/security/oidc-flow.ts';
import { UseCaseError } from '../../src/use-cases/use-case-error.ts';

describe('OIDC settings from the environment', () => {
  const base = {
    ORDO_OIDC_ISSUER: 'https://idp.example.org',
    ORDO_OIDC_CLIENT_ID: 'ordo',
    ORDO_OIDC_REDIRECT_URI: 'https://ordo.example.org/api/session/oidc/callback',
  };

  it('is off without an issuer', () => {
    expect(readOidcSettings({})).toBeNull();
  });

  it('reads the client secret from a file reference, with the default login claim', () => {
    const files: Record<string, string> = { '/run/secrets/oidc': 's3cret-from-file\n' };
    const settings = readOidcSettings(
      { ...base, ORDO_OIDC_CLIENT_SECRET_FILE: '/run/secrets/oidc', ORDO_OIDC_CLIENT_SECRET: 'ignored' },
      (path) => files[path] ?? '',
    );
    expect(settings).toMatchObject({
      clientSecret: 's3cret-from-file',
      loginClaim: 'preferred_username',
      clientId: 'ordo',
    });
    expect(
      readOidcSettings({ ...base, ORDO_OIDC_CLIENT_SECRET: 'x', ORDO_OIDC_LOGIN_CLAIM: 'email' })?.loginClaim,
    ).toBe('email');
  });

  it('names every missing setting at once', () => {
    expect(() => readOidcSettings({ ORDO_OIDC_ISSUER: 'https://idp.example.org' })).toThrow(
      /ORDO_OIDC_CLIENT_ID, ORDO_OIDC_REDIRECT_URI, ORDO_OIDC_CLIENT_SECRET_FILE/,
    );
  });

  it('reads ORDO_PASSWORD for the CLI', () => {
    expect(readPasswordVariable({ ORDO_PASSWORD: 'pw' })).toBe('pw');
    expect(readPasswordVariable({})).toBeNull();
  });

  it('answers unavailable (503) when the provider cannot be reached, and tries again next time', async () => {
    const flow = new OidcFlow(
      {
        ...base,
        issuer: 'http://127.0.0.1:9',
        clientSecret: 'x',
        redirectUri: base.ORDO_OIDC_REDIRECT_URI,
        clientId: 'ordo',
        loginClaim: 'sub',
        scopes: 'openid',
      },
      { allowHttp: true },
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await flow.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UseCaseError);
      expect(error).toMatchObject({ kind: 'unavailable', code: 'OIDC_PROVIDER_UNAVAILABLE' });
    }
  });
});
