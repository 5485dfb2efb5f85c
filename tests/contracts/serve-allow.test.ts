/**
 * `latent-sky serve --allow DIR`: the browser host's page may name paths inside the folders the
 * person listed on the command line (an import source, a new workspace), and still nothing outside.
 * A real `serve` process, reached over its WebSocket with the token.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '@app/contracts';
import { ensureFreshRenderer, serve, type Served } from '../e2e/harness';
import { connectNodeBridge } from './ws-client';

const root = mkdtempSync(join(tmpdir(), 'ls-allow-'));
let served: Served;
let bridge: Awaited<ReturnType<typeof connectNodeBridge>>;

beforeAll(async () => {
  await ensureFreshRenderer();
  mkdirSync(join(root, 'data'));
  mkdirSync(join(root, 'elsewhere'));
  served = await serve(['--allow', join(root, 'data'), '--no-samp'], { HOME: join(root, 'home') });
  const u = new URL(served.url);
  bridge = await connectNodeBridge(`ws://${u.host}/ws?token=${u.searchParams.get('token')}`, { origin: `http://${u.host}` });
}, 120_000);

afterAll(async () => {
  bridge?.close();
  await served?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('serve --allow', () => {
  it('lets the page name folders inside an allowed one, and refuses the rest', async () => {
    const api = createApiClient(bridge);
    // inside: the path guard lets it through, so the answer is about the folder itself
    const inside = join(root, 'data', 'not-a-workspace');
    mkdirSync(inside);
    writeFileSync(join(inside, 'notes.txt'), 'x');
    await expect(api.workspace.open({ path: inside })).rejects.toMatchObject({ code: 'WORKSPACE_INVALID' });
    // outside: refused by the guard before the engine looks at it
    const outside = join(root, 'elsewhere');
    await expect(api.workspace.open({ path: outside })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/outside the folders/) });
  }, 60_000);

  it('refuses an --allow that is not a folder with one line', async () => {
    await expect(serve(['--allow', join(root, 'missing'), '--no-samp'], { HOME: join(root, 'home') })).rejects.toThrow(/--allow .*missing: not a folder/);
  }, 60_000);
});
