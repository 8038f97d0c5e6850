import { describe, expect, it } from 'vitest';
import {
  classifyHost,
  classifyUrl,
  hostOfUrl,
  looksLikeUrl,
  parseIPv4,
  parseIPv6,
} from '../../../../src/detectors/shapes/net-address.js';

describe('parseIPv4', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['2852039166', '169.254.169.254'],
    ['0xa9fea9fe', '169.254.169.254'],
    ['0251.0376.0251.0376', '169.254.169.254'],
    ['0xA9.0xFE.0xA9.0xFE', '169.254.169.254'],
    ['169.254.43518', '169.254.169.254'],
    ['10.0.0.1.', '10.0.0.1'],
    ['0', '0.0.0.0'],
  ])('reads %s as %s', (input, dotted) => {
    const n = parseIPv4(input);
    expect(n).toBeDefined();
    expect(classifyHost(input).address).toBe(dotted);
  });

  it.each(['example.com', '1.2.3.4.5', '256.1.1.1', '08.1.1.1', '1.2.3.0x1g', '4294967296', '', 'a.b'])(
    'rejects %j',
    (input) => {
      expect(parseIPv4(input)).toBeUndefined();
    },
  );
});

describe('parseIPv6', () => {
  it('expands compressed forms and an IPv4 tail', () => {
    expect(parseIPv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('fd00:ec2::254')).toEqual([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254]);
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIPv6('2001:db8:1:2:3:4:5:6')).toEqual([0x2001, 0xdb8, 1, 2, 3, 4, 5, 6]);
  });

  it('rejects non-IPv6 text', () => {
    expect(parseIPv6('127.0.0.1')).toBeUndefined();
    expect(parseIPv6('::g')).toBeUndefined();
  });
});

describe('classifyHost', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['2852039166', 'metadata'],
    ['0xa9fea9fe', 'metadata'],
    ['0251.0376.0251.0376', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['metadata.google.internal', 'metadata'],
    ['METADATA.GOOGLE.INTERNAL.', 'metadata'],
    ['[fd00:ec2::254]', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['[::ffff:a9fe:a9fe]', 'metadata'],
    ['169.254.169.254.nip.io', 'metadata'],
    ['127.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['localhost', 'loopback'],
    ['LocalHost', 'loopback'],
    ['api.localhost', 'loopback'],
    ['%6c%6f%63%61%6c%68%6f%73%74', 'loopback'],
    ['%2531%2532%2537.0.0.1', 'loopback'],
    ['app.localtest.me', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['169.254.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'private'],
    ['[fe80::1%eth0]', 'private'],
    ['10-0-0-5.sslip.io', 'private'],
    ['db.internal', 'private'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['169.255.0.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['example.com', 'hostname'],
    ['localhost.example.com', 'hostname'],
    ['metadata.example.com', 'hostname'],
  ])('%s is %s', (host, kind) => {
    expect(classifyHost(host).kind).toBe(kind);
  });

  it('names the range and the canonical address', () => {
    expect(classifyHost('0251.0376.0251.0376')).toMatchObject({
      kind: 'metadata',
      range: 'cloud-metadata',
      address: '169.254.169.254',
    });
    expect(classifyHost('::ffff:10.0.0.1')).toMatchObject({ kind: 'private', range: 'rfc1918 via ipv4-mapped' });
    expect(classifyHost('100.64.1.1').range).toBe('cgnat');
  });
});

describe('URLs', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://2852039166/latest', 'metadata'],
    ['http://0xa9fea9fe/', 'metadata'],
    ['http://0251.0376.0251.0376/', 'metadata'],
    ['http://good.com@169.254.169.254/', 'metadata'],
    ['http://user:pw@good.com@169.254.169.254/', 'metadata'],
    ['http://169.254.169.254\\@good.com/', 'metadata'],
    ['http://[::ffff:169.254.169.254]/', 'metadata'],
    ['http://[fd00:ec2::254]/latest/', 'metadata'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://%31%36%39.254.169.254/', 'metadata'],
    ['http://１６９．２５４．１６９．２５４/', 'metadata'],
    ['gopher://0x7f.1:6379/_INFO', 'loopback'],
    ['redis://%6c%6fcalhost:6379', 'loopback'],
    ['http://127.1:8080/admin', 'loopback'],
    ['http://[::1]:3000/', 'loopback'],
    ['http://[fe80::1%25eth0]/', 'private'],
    ['https://192.168.0.1/router', 'private'],
    ['//10.0.0.1/share', 'private'],
    ['http://169.254.169.254.example.com/', 'hostname'],
    ['https://example.com/path?next=http://127.0.0.1', 'hostname'],
    ['http://8.8.8.8/', 'public'],
  ])('%s targets %s', (url, kind) => {
    expect(classifyUrl(url)?.kind).toBe(kind);
  });

  it('only reads bare hosts when asked', () => {
    expect(classifyUrl('169.254.169.254/latest')).toBeUndefined();
    expect(classifyUrl('169.254.169.254/latest', true)?.kind).toBe('metadata');
    expect(classifyUrl('localhost:8080', true)?.kind).toBe('loopback');
    expect(hostOfUrl('not a url')).toBeUndefined();
  });

  it('recognises whole-value URLs only', () => {
    expect(looksLikeUrl(' https://example.com/x ')).toBe(true);
    expect(looksLikeUrl('//cdn.example.com/a.js')).toBe(true);
    expect(looksLikeUrl('see https://example.com')).toBe(false);
    expect(looksLikeUrl('example.com')).toBe(false);
  });
});
