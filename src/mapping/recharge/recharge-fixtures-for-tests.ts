import { readFileSync } from 'node:fs';
import { parseJsonExact } from '../../shopify/parse-json-exact.ts';
import type { MapContext } from '../mapper.ts';
import { testShop } from '../samples-for-tests.ts';

/** Helpers for the ReCharge mapping tests: the bodies in src/recharge/fixtures (see its README), parsed as the pipeline does. */
const fixtures = new URL('../../recharge/fixtures/', import.meta.url);

export function rechargeFixtureText(name: string): string {
  return readFileSync(new URL(name, fixtures), 'utf8');
}

/** A fresh copy of a fixture's body. */
export function rechargeFixture(name: string): Record<string, any> {
  return parseJsonExact(rechargeFixtureText(name)) as Record<string, any>;
}

export function rechargeContext(topic: string): MapContext {
  return { shop: testShop, topic: `recharge/${topic}`, webhookId: 'recharge:test', apiVersion: null, triggeredAt: null };
}
