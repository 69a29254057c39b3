import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's second recommended setting (19 MiB, 2 passes, 1 lane): about 20–40 ms
 * per hash on this class of machine, slow enough against offline guessing, fast enough for sign-in.
 */
// 2 = Argon2id (the package's Algorithm enum is an ambient const enum, unusable under verbatimModuleSyntax).
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    // A malformed stored hash is a failed sign-in, never a crash.
    return false;
  }
}

/**
 * Verified when the login is unknown, so that an unknown login costs the same time as a wrong
 * password and the answer's timing does not tell which logins exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('ordo-decoy-password-for-constant-time');
  return decoy;
}
