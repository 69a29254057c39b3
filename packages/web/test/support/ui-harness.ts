import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const repositoryRoot = join(import.meta.dirname, '../../../..');
const builtUi = join(repositoryRoot, 'packages/web/dist/index.html');
/** Screenshots of every step, kept after the run (CI prints where). One folder per test file. */
export const artifactsRoot = join(repositoryRoot, 'packages/web/test-artifacts');

/** The demo's logins (ordo demo prints them): the password is `ordo-demo-<login>`. */
export type DemoLogin = 'admin' | 'officer' | 'resources' | 'manager' | 'user';

/** Debian's Chromium, started the way this machine's closed network needs (DESIGN.md §5). */
const chromiumPath = process.env.ORDO_CHROMIUM ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ApiSession {
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
}

export interface UiHarness {
  readonly baseUrl: string;
  /** The demo's working folder (its .ordo/demo files: the Atlas database, the HR file). */
  readonly workDir: string;
  /**
   * A fresh browser context signed in through the sign-in page as `login`. `bypassCsp` lets a test
   * inject its own checker script (axe-core), which the page's Content Security Policy refuses.
   */
  signedInPage(login: DemoLogin, options?: { bypassCsp?: boolean }): Promise<Page>;
  /** Saves a full-page screenshot as `<nn>-<name>.png` in this suite's artifacts folder. */
  shot(page: Page, name: string): Promise<void>;
  /** The API as `login`, to check what the server did behind the screens. */
  api(login: DemoLogin): Promise<ApiSession>;
  /** Everything the demo printed so far (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

/**
 * Starts `ordo demo --port 0` exactly as a newcomer would (a real process, the embedded SQLite
 * file, the agent in-process, the demo data) in a throwaway folder, and Chromium beside it.
 */
export async function startDemoUi(suite: string, options: { extraArgs?: readonly string[] } = {}): Promise<UiHarness> {
  if (!existsSync(builtUi)) {
    throw new Error('the web UI is not built: run `npm run build:web` (npm test does it first)');
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: install Debian's (apt-get install chromium; .ci/run does) or set ORDO_CHROMIUM`,
    );
  }
  const workDir = await mkdtemp(join(tmpdir(), `ordo-ui-${suite}-`));
  const artifacts = join(artifactsRoot, suite);
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
  const demo = spawn(
    join(repositoryRoot, 'node_modules/.bin/tsx'),
    [
      join(repositoryRoot, 'packages/cli/src/main.ts'),
      'demo',
      '--port',
      '0',
      '--example',
      join(repositoryRoot, 'examples/demo'),
      ...(options.extraArgs ?? []),
    ],
    { cwd: workDir, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let printed = '';
  demo.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  demo.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  let baseUrl: string;
  let browser: Browser | undefined;
  try {
    baseUrl = await demoAddress(demo, () => printed);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  } catch (error) {
    demo.kill('SIGKILL');
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const running = browser;
  let step = 0;
  return {
    baseUrl,
    workDir,
    async signedInPage(login, options = {}) {
      const context = await running.newContext({
        viewport: { width: 1366, height: 768 },
        bypassCSP: options.bypassCsp ?? false,
      });
      const page = await context.newPage();
      await page.goto(baseUrl);
      await page.getByLabel('Login').fill(login);
      await page.getByLabel(/^Password/).fill(`ordo-demo-${login}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('signed-in-as').waitFor();
      return page;
    },
    async shot(page, name) {
      step += 1;
      const file = `${String(step).padStart(2, '0')}-${name.replace(/[^\w-]+/g, '-')}.png`;
      // Finished transitions: a drawer or dialog caught mid-slide would hide what the step shows.
      await page.screenshot({ path: join(artifacts, file), fullPage: true, animations: 'disabled' });
    },
    async api(login) {
      return apiSession(baseUrl, login);
    },
    output: () => printed,
    async close() {
      await running.close().catch(() => {});
      await stop(demo);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** Waits for the demo's `Ordo demo: <address>` line; fails with what it printed if it dies or stalls. */
function demoAddress(demo: ChildProcess, printed: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start in 120 s:\n${printed()}`)), 120_000);
    const look = () => {
      const match = /^Ordo demo: (http:\/\/\S+)/m.exec(printed());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    demo.stdout?.on('data', look);
    demo.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before serving:\n${printed()}`));
    });
  });
}

async function stop(demo: ChildProcess): Promise<void> {
  if (demo.exitCode !== null) return;
  const exited = new Promise((resolve) => demo.once('exit', resolve));
  demo.kill('SIGTERM');
  const timer = setTimeout(() => demo.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function apiSession(baseUrl: string, login: DemoLogin): Promise<ApiSession> {
  const signIn = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: `ordo-demo-${login}` }),
  });
  if (!signIn.ok) throw new Error(`sign-in of ${login} failed: ${signIn.status} ${await signIn.text()}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body ?? {}) };
}
