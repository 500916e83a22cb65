import { describe, expect, it } from 'vitest';
import { signatureMaxAgeMs, signRechargeBody, signRechargeTimestamped, verifyRechargeSignature } from './webhook-signature.ts';

const body = Buffer.from('{"subscription":{"id":1}}');
const at = 1_700_000_000;

describe("ReCharge's webhook signatures", () => {
  // Expected values computed outside Node:
  //   printf '%s' 'rc-secret{"subscription":{"id":1}}' | sha256sum
  //   printf '%s' '1700000000.{"subscription":{"id":1}}' | openssl dgst -sha256 -hmac rc-secret
  it('legacy X-Recharge-Hmac-Sha256 is the hex sha256 of client secret followed by body (not an HMAC)', () => {
    expect(signRechargeBody(body, 'rc-secret')).toBe('ccf5ff3db281588657ef52dd8d76185407318b2db0eadc82c18e6f182a44c350');
  });

  it('X-Recharge-Webhook-Signature is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    expect(signRechargeTimestamped(body, 'rc-secret', at)).toBe('t=1700000000,v1=c78c59c909cf027df23ea9473207fe2d7e3e0190308462c3e1f0528302b388ca');
  });

  it.each([
    ['the legacy signature', { legacy: signRechargeBody(body, 'rc-secret') }, true],
    ['an upper-case legacy signature', { legacy: signRechargeBody(body, 'rc-secret').toUpperCase() }, true],
    ['the timestamp-bound signature', { timestamped: signRechargeTimestamped(body, 'rc-secret', at) }, true],
    ['a timestamp-bound signature with keys reordered and spaced', { timestamped: ` v1=${signRechargeTimestamped(body, 'rc-secret', at).split('v1=')[1]} , t=${at}` }, true],
    ['no signature', {}, false],
    ['a truncated legacy signature', { legacy: signRechargeBody(body, 'rc-secret').slice(0, 32) }, false],
    ['a legacy signature that is not hex', { legacy: 'z'.repeat(64) }, false],
    ['a timestamp-bound signature without v1', { timestamped: `t=${at}` }, false],
    ['a timestamp-bound signature whose t was changed', { timestamped: signRechargeTimestamped(body, 'rc-secret', at).replace(`t=${at}`, `t=${at + 1}`) }, false],
    ['a bad timestamp-bound signature next to a good legacy one', { timestamped: signRechargeTimestamped(body, 'other', at), legacy: signRechargeBody(body, 'rc-secret') }, false],
  ])('%s → %s', (_name, signatures, valid) => {
    expect(verifyRechargeSignature(body, signatures, ['rc-secret'], at * 1000)).toBe(valid);
  });

  it('accepts the previous secret during a rotation', () => {
    expect(verifyRechargeSignature(body, { legacy: signRechargeBody(body, 'old') }, ['new', 'old'], 0)).toBe(true);
  });

  it('refuses a timestamp-bound signature more than 48 hours from now, either way', () => {
    const signatures = { timestamped: signRechargeTimestamped(body, 'rc-secret', at) };
    expect(verifyRechargeSignature(body, signatures, ['rc-secret'], at * 1000 + signatureMaxAgeMs)).toBe(true);
    expect(verifyRechargeSignature(body, signatures, ['rc-secret'], at * 1000 + signatureMaxAgeMs + 1)).toBe(false);
    expect(verifyRechargeSignature(body, signatures, ['rc-secret'], at * 1000 - signatureMaxAgeMs - 1)).toBe(false);
  });
});
