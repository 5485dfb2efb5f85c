/**
 * Finding the SAMP hub (Standard Profile 1.3, section 3.3): the SAMP_HUB
 * environment variable (`std-lockurl:URL`) or the lockfile `.samp` in the
 * user's home directory. The lockfile holds `key=value` lines:
 * samp.secret, samp.hub.xmlrpc.url, samp.profile.version.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@app/core/errors';

export interface HubLocation {
  /** where the lockfile was found */
  lockfile: string;
  secret: string;
  xmlrpcUrl: string;
  profileVersion: string;
  /** all other keys of the lockfile */
  extra: Record<string, string>;
}

export function parseLockfile(text: string, where: string): HubLocation {
  const kv: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) kv[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const { 'samp.secret': secret, 'samp.hub.xmlrpc.url': xmlrpcUrl, 'samp.profile.version': profileVersion, ...extra } = kv;
  if (!secret || !xmlrpcUrl) throw new AppError('BAD_INPUT', `SAMP lockfile ${where} lacks samp.secret or samp.hub.xmlrpc.url`);
  return { lockfile: where, secret, xmlrpcUrl, profileVersion: profileVersion ?? '', extra };
}

/** the lockfile named by SAMP_HUB, else ~/.samp */
export function lockfilePath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const hub = env.SAMP_HUB;
  if (hub) {
    if (!hub.startsWith('std-lockurl:')) throw new AppError('BAD_INPUT', `SAMP_HUB='${hub}' is not a std-lockurl: (the only profile supported)`);
    const url = hub.slice('std-lockurl:'.length);
    if (!url.startsWith('file:')) throw new AppError('BAD_INPUT', `SAMP_HUB lockurl ${url} is not a file: URL`);
    return fileURLToPath(url);
  }
  return join(home, '.samp');
}

/** the running hub's location, or null when there is no lockfile (no hub) */
export function findHub(env: NodeJS.ProcessEnv = process.env, home = homedir()): HubLocation | null {
  const path = lockfilePath(env, home);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return parseLockfile(text, path);
}
