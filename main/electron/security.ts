/**
 * The desktop shell's security policy as plain data and pure predicates
 * (unit-tested without Electron): the app is served from latent-sky://app/,
 * nothing remote is loaded, navigation and new windows are refused.
 */

export const SCHEME = 'latent-sky';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/**
 * Sent as a header with every response of the app protocol (the renderer's
 * own meta tag applies as well; the stricter of the two wins).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** webPreferences of the one window; DevTools only in development builds (`devTools: !app.isPackaged`) */
export function webPreferences(preload: string, opts: { devTools?: boolean } = {}) {
  return {
    preload,
    devTools: opts.devTools ?? false,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    // a middle click must not open a link in a new window (setWindowOpenHandler denies it anyway)
    disableBlinkFeatures: 'Auxclick',
  } as const;
}

/** a URL inside the app (the only place the window may navigate to or load from) */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** requests the renderer may make: the app protocol and in-page data (devtools only when opened by the user) */
export function isAllowedRequest(url: string): boolean {
  return isAppUrl(url) || url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('devtools:');
}

/**
 * The sites our links point at (object pages in the survey viewer and the
 * astronomical databases); a link the user clicks opens in the system
 * browser only when it is https, on the default port, without credentials,
 * on one of these hosts. Anything else a page asks to open is dropped.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'www.legacysurvey.org',
  'legacysurvey.org',
  'simbad.cds.unistra.fr',
  'simbad.u-strasbg.fr',
  'ned.ipac.caltech.edu',
  'aladin.cds.unistra.fr',
  'aladin.u-strasbg.fr',
];

/** links the user clicks that open in the system browser instead (https, EXTERNAL_HOSTS only) */
export function isExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.port === '' && u.username === '' && u.password === '' && EXTERNAL_HOSTS.includes(u.hostname);
  } catch {
    return false;
  }
}
