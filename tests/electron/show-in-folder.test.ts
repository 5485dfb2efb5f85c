/**
 * "show in folder" (an exported file revealed in the file manager): the
 * preload, which may import only electron, repeats the shell's channel name;
 * the two must match, and the shell handler must be registered by main.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../e2e/harness';

describe('show in folder channel', () => {
  it('the preload invokes the channel the shell handles, and main.ts registers it', () => {
    const shellSide = readFileSync(join(root, 'main/electron/show-in-folder.ts'), 'utf8');
    const preload = readFileSync(join(root, 'main/preload/index.ts'), 'utf8');
    const name = /SHOW_IN_FOLDER_CHANNEL = '([^']+)'/.exec(shellSide)?.[1];
    expect(name).toBe('latent-sky:show-in-folder');
    expect(preload).toContain(`'${name}'`);
    expect(preload).toContain("exposeInMainWorld('latentSkyShell'");
    expect(readFileSync(join(root, 'main/electron/main.ts'), 'utf8')).toContain('registerShowInFolder()');
  });
});
