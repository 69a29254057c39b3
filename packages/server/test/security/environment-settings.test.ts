import { describe, expect, it } from 'vitest';
import { readRequestAutoDecision, readSmtpSettings } from '../../src/environment.ts';

describe('readSmtpSettings', () => {
  it('is off without ORDO_SMTP_URL', () => {
    expect(readSmtpSettings({})).toBeNull();
  });

  it('reads host, port, TLS, sender and a password from a file', () => {
    const settings = readSmtpSettings(
      {
        ORDO_SMTP_URL: 'smtps://ordo%40example.org@mail.example.org',
        ORDO_SMTP_FROM: 'Ordo <ordo@example.org>',
        ORDO_SMTP_PASSWORD_FILE: '/run/secrets/smtp',
      },
      (path) => (path === '/run/secrets/smtp' ? 's3cret\n' : ''),
    );
    expect(settings).toEqual({
      host: 'mail.example.org',
      port: 465,
      secure: true,
      from: 'Ordo <ordo@example.org>',
      auth: { user: 'ordo@example.org', pass: 's3cret' },
    });
  });

  it('says what is wrong with a bad URL or a missing sender', () => {
    expect(() => readSmtpSettings({ ORDO_SMTP_URL: 'http://x', ORDO_SMTP_FROM: 'a@b' })).toThrow(
      /smtp:\/\/ or smtps:\/\//,
    );
    expect(() => readSmtpSettings({ ORDO_SMTP_URL: 'smtp://relay:25' })).toThrow(/ORDO_SMTP_FROM/);
    expect(() => readSmtpSettings({ ORDO_SMTP_URL: 'not a url', ORDO_SMTP_FROM: 'a@b' })).toThrow(/not a URL/);
  });
});

describe('readRequestAutoDecision', () => {
  it('is off when unset, and reads a decision with its delay', () => {
    expect(readRequestAutoDecision({})).toBeNull();
    expect(
      readRequestAutoDecision({ ORDO_REQUEST_AUTO_DECISION: 'decline', ORDO_REQUEST_AUTO_DECISION_MINUTES: '4320' }),
    ).toEqual({
      afterMinutes: 4320,
      decision: 'decline',
    });
  });

  it('refuses an unknown decision or a missing delay', () => {
    expect(() => readRequestAutoDecision({ ORDO_REQUEST_AUTO_DECISION: 'maybe' })).toThrow(/approve" or "decline/);
    expect(() => readRequestAutoDecision({ ORDO_REQUEST_AUTO_DECISION: 'approve' })).toThrow(/MINUTES/);
  });
});
