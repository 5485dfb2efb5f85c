/**
 * A small non-validating XML parser, enough for VOTable: elements,
 * attributes, text, CDATA, comments, processing instructions, DOCTYPE and
 * the predefined / numeric entities. Namespace prefixes are stripped from
 * element names (vot:TABLE → TABLE).
 */
import { AppError } from '../core/errors';
import { LIMITS } from '../core/limits';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** A character XML 1.0 allows (production Char): no NUL, no surrogate, nothing past U+10FFFF. */
function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/**
 * Predefined and numeric entities; other named entities stay as written (never expanded).
 * A numeric reference to a character XML forbids (&#0;, &#99999999;) is BAD_INPUT.
 */
export function decodeEntities(s: string, where = 'XML'): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const c = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!isXmlChar(c)) throw new AppError('BAD_INPUT', `${where}: character reference ${m.slice(0, 20)} is not an XML character`);
      return String.fromCodePoint(c);
    }
    return ENTITIES[e] ?? m;
  });
}

export function escapeXml(s: string): string {
  // characters not allowed in XML 1.0 are dropped
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

function localName(n: string): string {
  const i = n.indexOf(':');
  return i < 0 ? n : n.slice(i + 1);
}

// a name starts after whitespace, so a long run without '=' is scanned once, not from every position (linear)
const ATTR = /(?:^|\s)([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

export function parseXml(text: string, name = 'XML'): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = text.length;
  const lineAt = (): number => {
    let line = 1;
    for (let k = text.indexOf('\n'); k >= 0 && k < i; k = text.indexOf('\n', k + 1)) line++;
    return line;
  };
  const fail = (what: string): never => {
    throw new AppError('BAD_INPUT', `${name}: ${what} at line ${lineAt()}`);
  };
  const decode = (t: string): string => {
    try {
      return decodeEntities(t, '');
    } catch (e) {
      return fail((e as Error).message.replace(/^: /, ''));
    }
  };
  while (i < n) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i) {
      const t = text.slice(i, end);
      if (stack.length > 1) stack[stack.length - 1].children.push(decode(t));
      else if (t.trim() !== '') fail('text outside the root element');
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i + 4);
      if (e < 0) fail('unterminated comment');
      i = e + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const e = text.indexOf(']]>', i + 9);
      if (e < 0) fail('unterminated CDATA');
      stack[stack.length - 1].children.push(text.slice(i + 9, e));
      i = e + 3;
    } else if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i + 2);
      if (e < 0) fail('unterminated processing instruction');
      i = e + 2;
    } else if (text.startsWith('<!', i)) {
      // DOCTYPE, possibly with an internal subset [...]
      let depth = 0,
        j = i + 2;
      for (; j < n; j++) {
        if (text[j] === '[') depth++;
        else if (text[j] === ']') depth--;
        else if (text[j] === '>' && depth <= 0) break;
      }
      i = j + 1;
    } else if (text[i + 1] === '/') {
      const e = text.indexOf('>', i);
      if (e < 0) fail('unterminated end tag');
      const tag = localName(text.slice(i + 2, e).trim());
      const top = stack.pop();
      if (!top || top.name !== tag || stack.length === 0) fail(`unexpected </${tag}>`);
      i = e + 1;
    } else {
      // start tag: find '>' outside quotes
      let j = i + 1,
        q = '';
      for (; j < n; j++) {
        const c = text[j];
        if (q) {
          if (c === q) q = '';
        } else if (c === '"' || c === "'") q = c;
        else if (c === '>') break;
      }
      if (j >= n) fail('unterminated start tag');
      const selfClosing = text[j - 1] === '/';
      const inner = text.slice(i + 1, selfClosing ? j - 1 : j);
      const m = /^[^\s/>]+/.exec(inner);
      if (!m) fail('malformed tag');
      const el: XmlElement = { name: localName(m![0]), attrs: {}, children: [] };
      for (const a of inner.slice(m![0].length).matchAll(ATTR)) el.attrs[localName(a[1])] = decode(a[3] ?? a[4] ?? '');
      stack[stack.length - 1].children.push(el);
      if (!selfClosing) {
        if (stack.length > LIMITS.maxXmlDepth) fail(`elements nested deeper than ${LIMITS.maxXmlDepth} levels (the resource budget)`);
        stack.push(el);
      }
      i = j + 1;
    }
  }
  if (stack.length !== 1) fail(`unclosed <${stack[stack.length - 1].name}>`);
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!top) fail('no root element');
  return top!;
}

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}

export function textOf(el: XmlElement): string {
  let s = '';
  for (const c of el.children) s += typeof c === 'string' ? c : textOf(c);
  return s;
}

/** All descendants named `name`, depth first. */
export function descendants(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}
