import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcSettings } from '../environment.ts';
import { UseCaseError } from '../use-cases/use-case-error.ts';

/** Who the provider says signed in, from the verified ID token. */
export interface OidcIdentity {
  readonly issuer: string;
  readonly subject: string;
  /** The value of the configured login claim (default `preferred_username`), if present. */
  readonly login: string | null;
  /** Only a verified email (`email_verified: true`), else null. */
  readonly email: string | null;
}

/** What the browser keeps between start and callback, signed: state, nonce and PKCE verifier. */
interface FlowState {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  /** Epoch ms after which the callback is refused. */
  readonly expires: number;
}

export const oidcFlowCookie = 'ordo_oidc';
export const oidcFlowMinutes = 10;

/**
 * The authorization code flow with PKCE against one provider. Nothing is kept in memory between
 * start and callback: the state, nonce and code verifier travel in a short-lived HttpOnly cookie
 * signed with a key derived from the client secret, so any server process can finish a flow
 * another one started. The provider's metadata is discovered on first use (and again after a
 * failure), so that a provider down at start-up does not stop the server.
 */
export class OidcFlow {
  private configuration: Promise<client.Configuration> | null = null;
  private readonly signingKey: Buffer;

  constructor(
    private readonly settings: OidcSettings,
    private readonly options: { readonly allowHttp?: boolean; readonly now?: () => number } = {},
  ) {
    this.signingKey = createHash('sha256').update(`ordo-oidc-flow\0${settings.clientSecret}`).digest();
  }

  /** The provider URL to send the browser to, and the cookie value to set. */
  async start(): Promise<{ url: string; cookie: string }> {
    const config = await this.config();
    const flow: FlowState = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      expires: this.now() + oidcFlowMinutes * 60_000,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, cookie: this.sign(flow) };
  }

  /**
   * Checks the callback against the flow cookie, redeems the code and verifies the ID token.
   * `search` is the callback's query string (`?code=…&state=…`).
   */
  async finish(cookie: string | undefined, search: string): Promise<OidcIdentity> {
    const flow = cookie ? this.verify(cookie) : undefined;
    if (!flow) throw refused('OIDC_FLOW_INVALID', 'the sign-in flow is unknown or expired; start again');
    const config = await this.config();
    const currentUrl = new URL(this.settings.redirectUri);
    currentUrl.search = search;
    let claims: Record<string, unknown> & { iss: string; sub: string };
    try {
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('no ID token');
      claims = idToken;
      // Providers often keep profile and email claims out of the ID token: ask the userinfo
      // endpoint, which must answer for the same subject (openid-client checks it).
      const wanted = [this.settings.loginClaim, 'email', 'email_verified'];
      if (wanted.some((name) => !(name in idToken)) && config.serverMetadata().userinfo_endpoint) {
        const userInfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
        claims = { ...userInfo, ...idToken };
      }
    } catch (error) {
      throw refused('OIDC_CALLBACK_REFUSED', `the provider's answer was refused: ${describe(error)}`);
    }
    const loginClaim = claims[this.settings.loginClaim];
    const email = claims.email_verified === true && typeof claims.email === 'string' ? claims.email : null;
    return {
      issuer: claims.iss,
      subject: claims.sub,
      login: typeof loginClaim === 'string' && loginClaim !== '' ? loginClaim : null,
      email,
    };
  }

  private config(): Promise<client.Configuration> {
    if (!this.configuration) {
      const discovering = client
        .discovery(
          new URL(this.settings.issuer),
          this.settings.clientId,
          undefined,
          client.ClientSecretPost(this.settings.clientSecret),
          this.options.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          this.configuration = null;
          throw new UseCaseError('unavailable', 'OIDC_PROVIDER_UNAVAILABLE', `the OIDC provider: ${describe(error)}`, {
            retryAfterSeconds: 30,
          });
        });
      this.configuration = discovering;
    }
    return this.configuration;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private sign(flow: FlowState): string {
    const body = Buffer.from(JSON.stringify(flow)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  private verify(cookie: string): FlowState | undefined {
    const [body, mac] = cookie.split('.');
    if (!body || !mac) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const flow = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as FlowState;
      return typeof flow.expires === 'number' && flow.expires > this.now() ? flow : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.signingKey).update(body).digest('base64url');
  }
}

function refused(code: string, message: string): UseCaseError {
  return new UseCaseError('unauthenticated', code, message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
