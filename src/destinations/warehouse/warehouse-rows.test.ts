import { describe, expect, it } from 'vitest';
import { topicCatalog } from '../../mapping/topic-mappers.ts';
import { contextFor, mappedMessages, sampleBody } from '../../mapping/samples-for-tests.ts';
import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import { parseStoredEvent } from './stored-event.ts';
import { toWarehouseEvent, warehouseRows, type WarehouseRow } from './warehouse-rows.ts';

/** Shopify's orders/create sample, mapped as the pipeline maps it, with a browser id the storefront linked. */
function orderCreatedMessages(): SegmentMessage[] {
  const context = contextFor('orders/create', { linkedAnonymousId: 'browser-anon-1' });
  return mappedMessages(topicCatalog.get('orders/create')!.mapper(sampleBody('orders_create.json'), context));
}

function messageOfType(messages: SegmentMessage[], type: SegmentMessage['type']): SegmentMessage {
  const found = messages.find((message) => message.type === type);
  if (!found) throw new Error(`no ${type} among ${messages.map((m) => m.type).join(', ')}`);
  return found;
}

function rowsOf(message: SegmentMessage): WarehouseRow[] {
  const result = warehouseRows(message);
  if (result.kind !== 'rows') throw new Error(result.reason);
  return result.rows;
}

const userId = '115310627314723954';
const orderTime = '2022-01-01T00:00:00.000Z';
const shopifyContext = { context_integration_name: 'shopify_cartstream' };

describe('warehouse rows for real mapped messages', () => {
  it('writes Order Completed to tracks and to order_completed, with properties as typed columns', () => {
    const message = messageOfType(orderCreatedMessages(), 'track');
    const envelope = {
      id: 'cs-26b0f749246b0358525ea52a196b0785', user_id: userId, anonymous_id: 'browser-anon-1',
      event: 'order_completed', event_text: 'Order Completed', timestamp: orderTime, original_timestamp: orderTime, ...shopifyContext,
    };
    expect(rowsOf(message)).toStrictEqual([
      { table: 'tracks', write: 'insert', values: envelope },
      {
        table: 'order_completed', write: 'insert', values: {
          ...envelope,
          order_id: '820982911946154508', email: 'jon@example.com', total: 404.95, subtotal: 404.95, revenue: 394.95,
          shipping: 10, tax: 0, discount: 20, currency: 'USD', presentment_currency: 'USD', presentment_total: 404.95,
          payment_method: 'visa, bogus', shipping_method: 'Generic Shipping',
          // Segment stores arrays (the Ecommerce spec's products) as JSON text.
          products: JSON.stringify(message.properties?.products),
        },
      },
    ]);
    expect(JSON.parse(String(rowsOf(message)[1]?.values.products))).toHaveLength(5);
  });

  it('writes an Identify to identifies and upserts users on userId, flattening the address object', () => {
    const traits = {
      email: 'john@example.com', first_name: 'John', last_name: 'Smith', address_street: '123 Elm St.', address_city: 'Ottawa',
      address_state: 'Ontario', address_postal_code: 'K2H7A8', address_country: 'Canada', state: 'disabled', verified_email: true,
    };
    expect(rowsOf(messageOfType(orderCreatedMessages(), 'identify'))).toStrictEqual([
      {
        table: 'identifies', write: 'insert', values: {
          id: 'cs-3a23c85e3f13db1e79d0ad9124e5fe9d', user_id: userId, anonymous_id: 'browser-anon-1',
          timestamp: orderTime, original_timestamp: orderTime, ...shopifyContext, ...traits,
        },
      },
      // No anonymous_id in users (one user has many); its timestamp decides which identify is the latest.
      { table: 'users', write: 'merge', values: { id: userId, timestamp: orderTime, ...traits } },
    ]);
  });

  it('writes the browser-to-customer Alias to aliases with previous_id', () => {
    expect(rowsOf(messageOfType(orderCreatedMessages(), 'alias'))).toStrictEqual([{
      table: 'aliases', write: 'insert', values: {
        id: 'cs-a2efa16099a5c38fe703c05c762acacd', user_id: userId, previous_id: 'browser-anon-1',
        timestamp: orderTime, original_timestamp: orderTime, ...shopifyContext,
      },
    }]);
  });

  it('writes a storefront page call to pages, with analytics.js context flattened', () => {
    const call = {
      type: 'page', name: 'Hat', category: 'Products', messageId: 'ajs-next-2', anonymousId: 'anon-1', receivedAt: '2026-01-02T03:04:06.000Z',
      properties: { path: '/products/hat', title: 'Hat', url: 'https://shop.example/products/hat' },
      context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', library: { name: 'analytics.js', version: 'next-1.70.0' } },
    };
    const [page] = mappedMessages(topicCatalog.get('collector/page')!.mapper(call, contextFor('collector/page')));
    expect(rowsOf(page!)).toStrictEqual([{
      table: 'pages', write: 'insert', values: {
        id: page!.messageId, anonymous_id: 'anon-1', timestamp: '2026-01-02T03:04:06.000Z', original_timestamp: '2026-01-02T03:04:06.000Z',
        context_ip: '203.0.113.7', context_user_agent: 'Mozilla/5.0', context_library_name: 'analytics.js', context_library_version: 'next-1.70.0',
        name: 'Hat', category: 'Products', path: '/products/hat', title: 'Hat', url: 'https://shop.example/products/hat',
      },
    }]);
  });
});

describe('warehouse rows: Segment\'s flattening rules', () => {
  const track = (properties: Record<string, unknown>, event = 'Product Added'): SegmentMessage => ({
    type: 'track', messageId: 'm1', timestamp: '2024-05-01T12:00:00+02:00', anonymousId: 'a1', event, properties,
  });
  const propertiesOf = (message: SegmentMessage) => {
    const { id, anonymous_id, event, event_text, timestamp, original_timestamp, ...rest } = rowsOf(message)[1]!.values;
    return rest;
  };

  it('flattens nested objects to parent_child, snake_cases names, keeps arrays as JSON and drops nulls', () => {
    expect(propertiesOf(track({
      productId: 'p1', product: { sku: 'G-32', dimensions: { widthCm: 4 } }, tags: ['a', 'b'], coupon: null, 'Gift Wrap?': true,
    }))).toStrictEqual({ product_id: 'p1', product_sku: 'G-32', product_dimensions_width_cm: 4, tags: '["a","b"]', gift_wrap: true });
  });

  it('stores timestamps in UTC and leaves other strings, numeric ones included, as text', () => {
    expect(propertiesOf(track({ paid_at: '2024-05-01T12:00:00+02:00', day: '2024-05-01', zip: '02134' })))
      .toStrictEqual({ paid_at: '2024-05-01T10:00:00.000Z', day: '2024-05-01', zip: '02134' });
    expect(rowsOf(track({}))[0]?.values.timestamp).toBe('2024-05-01T10:00:00.000Z');
  });

  it('discards properties named like Segment\'s own columns, and names with nothing left', () => {
    expect(propertiesOf(track({ id: 'x', user_id: 'u', received_at: 'r', sent_at: 's', event: 'e', '¿¡': 1, total: 5 })))
      .toStrictEqual({ total: 5 });
  });

  it('keeps the first of two properties that snake_case to the same column', () => {
    expect(propertiesOf(track({ orderId: 'first', order_id: 'second' }))).toStrictEqual({ order_id: 'first' });
  });

  it('makes an injection attempt in a name into a harmless identifier', () => {
    const rows = rowsOf(track({ '"; DROP TABLE tracks; --': 1 }, 'Order"; DROP TABLE users; --'));
    expect(rows[1]?.table).toBe('order_drop_table_users');
    expect(propertiesOf(track({ '"; DROP TABLE tracks; --': 1 }))).toStrictEqual({ drop_table_tracks: 1 });
  });

  it('cuts long names to the 63 characters PostgreSQL keeps', () => {
    const rows = rowsOf(track({ ['x'.repeat(80)]: 1 }, `Order ${'y'.repeat(80)}`));
    expect(rows[1]?.table).toBe(`order_${'y'.repeat(57)}`);
    expect(Object.keys(propertiesOf(track({ ['x'.repeat(80)]: 1 })))).toStrictEqual(['x'.repeat(63)]);
  });
});

describe('warehouse transform', () => {
  it.each<[string, SegmentMessage, string]>([
    ['an event name with no letters or digits', { type: 'track', messageId: 'm', timestamp: '2024-01-01T00:00:00Z', event: '注文完了' },
      'event "注文完了" cannot have an event table: it has no letters or digits to name a table with'],
    ['an event named like a Segment table', { type: 'track', messageId: 'm', timestamp: '2024-01-01T00:00:00Z', event: 'Identifies' },
      'event "Identifies" cannot have an event table: table identifies is the warehouse\'s table for identifies calls'],
    ['an event named like SQLite\'s tables', { type: 'track', messageId: 'm', timestamp: '2024-01-01T00:00:00Z', event: 'SQLite Master' },
      'event "SQLite Master" cannot have an event table: SQLite reserves table names starting with sqlite_'],
    ['a track without an event', { type: 'track', messageId: 'm', timestamp: '2024-01-01T00:00:00Z' }, 'a track call without an event name has no event table'],
    ['a time that is not ISO-8601', { type: 'page', messageId: 'm', timestamp: 'yesterday' }, 'timestamp "yesterday" is not an ISO-8601 time'],
    ['an alias without previousId', { type: 'alias', messageId: 'm', timestamp: '2024-01-01T00:00:00Z', userId: 'u' }, 'an alias call without previousId links nothing'],
  ])('skips %s, saying why', (_name, message, reason) => {
    expect(toWarehouseEvent(message)).toStrictEqual({ kind: 'skip', reason });
  });

  it('stores the rows as JSON the writer reads back unchanged', () => {
    for (const message of orderCreatedMessages()) {
      const result = toWarehouseEvent(message);
      expect(result.kind).toBe('event');
      expect(parseStoredEvent(result.kind === 'event' ? result.json : '')).toStrictEqual({ ok: true, rows: rowsOf(message) });
    }
  });

  it('writes no users row for an anonymous identify', () => {
    const rows = rowsOf({ type: 'identify', messageId: 'i', timestamp: '2024-01-01T00:00:00Z', anonymousId: 'a', traits: { plan: 'pro' } });
    expect(rows.map((row) => row.table)).toStrictEqual(['identifies']);
  });
});
