import { readFileSync } from 'node:fs';

/**
 * The one place that reads `process.env` (house rule 9). Everything else receives these values.
 */
export interface Environment {
  /** `postgres://…` for PostgreSQL, or a SQLite file path. */
  readonly databaseUrl: string | null;
  /** PostgreSQL only: the schema Ordo's tables live in (`ORDO_DB_SCHEMA`; several sites share one database). */
  readonly databaseSchema: string | null;
  readonly testPostgresUrl: string;
  readonly ci: boolean;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return Object.freeze({
    databaseUrl: env.DATABASE_URL?.trim() || null,
    databaseSchema: env.ORDO_DB_SCHEMA?.trim() || null,
    testPostgresUrl: env.ORDO_TEST_PG_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
    ci: env.CI === 'true',
  });
}

/** Sign-in through an OpenID Connect provider (authorization code flow with PKCE). */
export interface OidcSettings {
  /** The provider's issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Ordo's callback as registered at the provider: `https://ordo.example.org/api/session/oidc/callback`. */
  readonly redirectUri: string;
  /** The ID token claim matched against account logins (default `preferred_username`, else `email`). */
  readonly loginClaim: string;
  readonly scopes: string;
}

/**
 * OIDC settings from `ORDO_OIDC_ISSUER`, `ORDO_OIDC_CLIENT_ID`, `ORDO_OIDC_REDIRECT_URI`,
 * `ORDO_OIDC_LOGIN_CLAIM` and the client secret given as `ORDO_OIDC_CLIENT_SECRET` or, better,
 * `ORDO_OIDC_CLIENT_SECRET_FILE` (a file holding it). Null when no issuer is set (OIDC off).
 */
export function readOidcSettings(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): OidcSettings | null {
  const issuer = env.ORDO_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const missing = ['ORDO_OIDC_CLIENT_ID', 'ORDO_OIDC_REDIRECT_URI'].filter((name) => !env[name]?.trim());
  const secretFile = env.ORDO_OIDC_CLIENT_SECRET_FILE?.trim();
  const clientSecret = secretFile ? readFile(secretFile).trim() : env.ORDO_OIDC_CLIENT_SECRET?.trim();
  if (!clientSecret) missing.push('ORDO_OIDC_CLIENT_SECRET_FILE (or ORDO_OIDC_CLIENT_SECRET)');
  if (missing.length > 0) throw new Error(`ORDO_OIDC_ISSUER is set, so these are needed too: ${missing.join(', ')}`);
  return Object.freeze({
    issuer,
    clientId: env.ORDO_OIDC_CLIENT_ID?.trim() ?? '',
    clientSecret: clientSecret ?? '',
    redirectUri: env.ORDO_OIDC_REDIRECT_URI?.trim() ?? '',
    loginClaim: env.ORDO_OIDC_LOGIN_CLAIM?.trim() || 'preferred_username',
    scopes: env.ORDO_OIDC_SCOPES?.trim() || 'openid profile email',
  });
}

/** A password given to the CLI through `ORDO_PASSWORD` (else the CLI reads it from stdin). */
export function readPasswordVariable(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.ORDO_PASSWORD ?? null;
}

/**
 * SMTP relay for notifications from `ORDO_SMTP_URL` (`smtp://host:25`, `smtps://host:465`,
 * `smtp://user@host:587` with the password in `ORDO_SMTP_PASSWORD_FILE` or `ORDO_SMTP_PASSWORD`)
 * and `ORDO_SMTP_FROM`. Null when no URL is set: notifications are then written to the log.
 */
export function readSmtpSettings(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): SmtpSettings | null {
  const raw = env.ORDO_SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('ORDO_SMTP_URL is not a URL: expected smtp://host:port or smtps://host:port');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`ORDO_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  const from = env.ORDO_SMTP_FROM?.trim();
  if (!from) throw new Error('ORDO_SMTP_URL is set, so ORDO_SMTP_FROM (the From address) is needed too');
  const passwordFile = env.ORDO_SMTP_PASSWORD_FILE?.trim();
  const password = passwordFile ? readFile(passwordFile).trim() : env.ORDO_SMTP_PASSWORD;
  const user = decodeURIComponent(url.username);
  return Object.freeze({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 25),
    secure: url.protocol === 'smtps:',
    from,
    ...(user ? { auth: { user, pass: password ?? '' } } : {}),
  });
}

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly from: string;
  readonly auth?: { readonly user: string; readonly pass: string };
}

/**
 * What happens to a request nobody decides on: `ORDO_REQUEST_AUTO_DECISION` (`approve` or
 * `decline`) after `ORDO_REQUEST_AUTO_DECISION_MINUTES`. Null (requests wait for people) when unset.
 */
export function readRequestAutoDecision(
  env: NodeJS.ProcessEnv = process.env,
): { readonly afterMinutes: number; readonly decision: 'approve' | 'decline' } | null {
  const decision = env.ORDO_REQUEST_AUTO_DECISION?.trim();
  if (!decision) return null;
  if (decision !== 'approve' && decision !== 'decline') {
    throw new Error(`ORDO_REQUEST_AUTO_DECISION is "approve" or "decline", not "${decision}"`);
  }
  const minutes = Number(env.ORDO_REQUEST_AUTO_DECISION_MINUTES);
  if (!Number.isInteger(minutes) || minutes <= 0) {
    throw new Error(
      'ORDO_REQUEST_AUTO_DECISION is set, so ORDO_REQUEST_AUTO_DECISION_MINUTES must be a whole number of minutes above 0',
    );
  }
  return Object.freeze({ afterMinutes: minutes, decision });
}
