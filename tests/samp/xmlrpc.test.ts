/** The XML-RPC codec and lockfile parsing used by the SAMP client. */
import { describe, expect, it } from 'vitest';
import { parseLockfile, lockfilePath } from '@main/node/samp/lockfile';
import { parsePointAt } from '@main/node/samp/messages';
import { decodeCall, decodeResponse, encodeCall, encodeFault, encodeResponse, XmlRpcFault } from '@main/node/samp/xmlrpc';

describe('xml-rpc codec', () => {
  it('round-trips SAMP values with markup characters', () => {
    const msg = { 'samp.mtype': 'table.load.votable', 'samp.params': { url: 'file:///a&b/<x>.vot', name: 'say "hi"' }, list: ['1', ['2', {}]] };
    const call = decodeCall(encodeCall('samp.hub.notifyAll', ['key', msg]));
    expect(call).toEqual({ method: 'samp.hub.notifyAll', params: ['key', msg] });
    expect(decodeResponse(encodeResponse(['c1', 'c2']))).toEqual(['c1', 'c2']);
  });

  it('writes numbers as SAMP strings and reads typed XML-RPC values from other peers', () => {
    expect(decodeCall(encodeCall('m', [10.5, true])).params).toEqual(['10.5', '1']);
    const xml =
      '<?xml version="1.0"?><methodResponse><params><param><value><struct>' +
      '<member><name>a</name><value>plain</value></member><member><name>b</name><value><i4>-3</i4></value></member>' +
      '<member><name>c</name><value><boolean>1</boolean></value></member><member><name>d</name><value><double>2.5</double></value></member>' +
      '</struct></value></param></params></methodResponse>';
    expect(decodeResponse(xml)).toEqual({ a: 'plain', b: -3, c: true, d: 2.5 });
  });

  it('turns a fault into XmlRpcFault', () => {
    expect(() => decodeResponse(encodeFault(4, 'no such <client>'))).toThrow(XmlRpcFault);
    try {
      decodeResponse(encodeFault(4, 'no such <client>'));
    } catch (e) {
      expect([(e as XmlRpcFault).faultCode, (e as XmlRpcFault).faultString]).toEqual([4, 'no such <client>']);
    }
  });
});

describe('hub discovery', () => {
  it('parses a Standard Profile lockfile', () => {
    const h = parseLockfile(
      '# comment\nsamp.secret=s3\nsamp.hub.xmlrpc.url=http://127.0.0.1:1234/xmlrpc\nsamp.profile.version=1.3\nhub.impl=x=y\n',
      '/tmp/.samp',
    );
    expect(h).toEqual({ lockfile: '/tmp/.samp', secret: 's3', xmlrpcUrl: 'http://127.0.0.1:1234/xmlrpc', profileVersion: '1.3', extra: { 'hub.impl': 'x=y' } });
    expect(() => parseLockfile('samp.secret=x\n', 'f')).toThrow(/lacks/);
  });

  it('finds the lockfile through SAMP_HUB or the home directory', () => {
    expect(lockfilePath({}, '/home/astro')).toBe('/home/astro/.samp');
    expect(lockfilePath({ SAMP_HUB: 'std-lockurl:file:///tmp/hub%20lock' }, '/home/astro')).toBe('/tmp/hub lock');
    expect(() => lockfilePath({ SAMP_HUB: 'std-lockurl:http://example.org/lock' })).toThrow(/not a file: URL/);
  });

  it('checks coord.pointAt.sky params', () => {
    expect(parsePointAt({ ra: '10.5', dec: '-20' })).toEqual({ ra: 10.5, dec: -20 });
    expect(() => parsePointAt({ ra: '10', dec: '91' })).toThrow(/dec='91'/);
    expect(() => parsePointAt({ ra: '', dec: '1' })).toThrow(/ra=''/);
  });
});
