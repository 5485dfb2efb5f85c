/**
 * A small non-validating XML parser, enough for VOTable: elements,
 * attributes, text, CDATA, comments, processing instructions, DOCTYPE and
 * the predefined / numeric entities. Namespace prefixes are stripped from
 * element names (vot:TABLE → TABLE).
 */
import { AppError } from '../core/errors';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
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

const ATTR = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

export function parseXml(text: string, name = 'XML'): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = text.length;
  const fail = (what: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new AppError('BAD_INPUT', `${name}: ${what} at line ${line}`);
  };
  while (i < n) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i) {
      const t = text.slice(i, end);
      if (stack.length > 1) stack[stack.length - 1].children.push(decodeEntities(t));
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
      let depth = 0, j = i + 2;
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
      let j = i + 1, q = '';
      for (; j < n; j++) {
        const c = text[j];
        if (q) { if (c === q) q = ''; }
        else if (c === '"' || c === "'") q = c;
        else if (c === '>') break;
      }
      if (j >= n) fail('unterminated start tag');
      const selfClosing = text[j - 1] === '/';
      const inner = text.slice(i + 1, selfClosing ? j - 1 : j);
      const m = /^[^\s/>]+/.exec(inner);
      if (!m) fail('malformed tag');
      const el: XmlElement = { name: localName(m![0]), attrs: {}, children: [] };
      for (const a of inner.slice(m![0].length).matchAll(ATTR)) el.attrs[localName(a[1])] = decodeEntities(a[3] ?? a[4] ?? '');
      stack[stack.length - 1].children.push(el);
      if (!selfClosing) stack.push(el);
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
