/**
 * XML-RPC (http://xmlrpc.com/spec.md) as SAMP uses it: strings, lists and
 * maps (SAMP's only types), plus int/boolean/double when a peer sends them.
 * Encoding always writes SAMP types (numbers become strings, as SAMP
 * requires); decoding accepts the whole XML-RPC value set except base64 and
 * dateTime, which no SAMP peer sends.
 */
import { AppError } from '@app/core/errors';
import { childElements, escapeXml, parseXml, textOf, type XmlElement } from '@app/tables/xml';

export type XrValue = string | number | boolean | XrValue[] | { [key: string]: XrValue };
export type XrMap = { [key: string]: XrValue };

export interface XrCall {
  method: string;
  params: XrValue[];
}

export class XmlRpcFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(faultString);
    this.name = 'XmlRpcFault';
  }
}

function encodeValue(v: XrValue): string {
  if (Array.isArray(v)) return `<value><array><data>${v.map(encodeValue).join('')}</data></array></value>`;
  if (typeof v === 'object' && v !== null) {
    const members = Object.entries(v).map(([k, x]) => `<member><name>${escapeXml(k)}</name>${encodeValue(x)}</member>`);
    return `<value><struct>${members.join('')}</struct></value>`;
  }
  if (typeof v === 'boolean') return `<value><string>${v ? '1' : '0'}</string></value>`;
  if (typeof v === 'number') return `<value><string>${Number.isFinite(v) ? String(v) : ''}</string></value>`;
  if (typeof v !== 'string') throw new AppError('INTERNAL', `xml-rpc: cannot encode a ${typeof v}`);
  return `<value><string>${escapeXml(v)}</string></value>`;
}

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function encodeCall(method: string, params: XrValue[]): string {
  return `${HEAD}<methodCall><methodName>${escapeXml(method)}</methodName><params>${params.map((p) => `<param>${encodeValue(p)}</param>`).join('')}</params></methodCall>\n`;
}

export function encodeResponse(value: XrValue): string {
  return `${HEAD}<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>\n`;
}

export function encodeFault(code: number, message: string): string {
  const members = `<member><name>faultCode</name><value><int>${Math.trunc(code)}</int></value></member><member><name>faultString</name>${encodeValue(message)}</member>`;
  return `${HEAD}<methodResponse><fault><value><struct>${members}</struct></value></fault></methodResponse>\n`;
}

function only(el: XmlElement, name: string, where: string): XmlElement {
  const c = childElements(el, name)[0];
  if (!c) throw new AppError('BAD_INPUT', `xml-rpc: <${where}> has no <${name}>`);
  return c;
}

export function decodeValue(value: XmlElement): XrValue {
  const typed = childElements(value)[0];
  if (!typed) return textOf(value); // <value>text</value> is a string
  const text = textOf(typed);
  switch (typed.name) {
    case 'string':
      return text;
    case 'i4':
    case 'int':
    case 'i8':
      return parseInt(text.trim(), 10);
    case 'double':
      return Number(text.trim());
    case 'boolean':
      return text.trim() === '1';
    case 'nil':
      return '';
    case 'array':
      return childElements(only(typed, 'data', 'array'), 'value').map(decodeValue);
    case 'struct': {
      const out: XrMap = {};
      for (const m of childElements(typed, 'member')) out[textOf(only(m, 'name', 'member'))] = decodeValue(only(m, 'value', 'member'));
      return out;
    }
    default:
      throw new AppError('BAD_INPUT', `xml-rpc: unsupported value type <${typed.name}>`);
  }
}

function params(el: XmlElement | undefined): XrValue[] {
  return el ? childElements(el, 'param').map((p) => decodeValue(only(p, 'value', 'param'))) : [];
}

export function decodeCall(xml: string): XrCall {
  const root = parseXml(xml, 'xml-rpc call');
  if (root.name !== 'methodCall') throw new AppError('BAD_INPUT', `xml-rpc: expected <methodCall>, got <${root.name}>`);
  return { method: textOf(only(root, 'methodName', 'methodCall')).trim(), params: params(childElements(root, 'params')[0]) };
}

/** the response value; throws XmlRpcFault for a <fault> */
export function decodeResponse(xml: string): XrValue {
  const root = parseXml(xml, 'xml-rpc response');
  if (root.name !== 'methodResponse') throw new AppError('BAD_INPUT', `xml-rpc: expected <methodResponse>, got <${root.name}>`);
  const fault = childElements(root, 'fault')[0];
  if (fault) {
    const f = decodeValue(only(fault, 'value', 'fault')) as XrMap;
    throw new XmlRpcFault(Number(f.faultCode ?? 0), String(f.faultString ?? 'fault'));
  }
  return params(childElements(root, 'params')[0])[0] ?? '';
}

/** a map value or BAD_INPUT */
export function asMap(v: XrValue | undefined, what: string): XrMap {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AppError('BAD_INPUT', `xml-rpc: ${what} must be a map`);
  return v;
}
