import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../pipeline/message-id.ts';
import { mapInventoryUpdated } from './inventory-updated.ts';
import { mapProductCreated, mapProductDeleted, mapProductUpdated } from './product-events.ts';
import { contextFor, integration, mappedMessages, sampleBody, testShop } from './samples-for-tests.ts';

const productId = '788032119674292922';

const variant = (id: string, title: string, quantity: number, position: number) => ({
  shopify_variant_id: id,
  variant: title,
  price: 19.99,
  compare_at_price: 24.99,
  inventory_quantity: quantity,
  position,
});

const sampleProperties = {
  product_id: productId,
  shopify_product_id: productId,
  name: 'Example T-Shirt',
  brand: 'Acme',
  category: 'Shirts',
  price: 19.99,
  url: 'https://demo.myshopify.com/products/example-t-shirt',
  handle: 'example-t-shirt',
  status: 'active',
  tags: 'example, mens, t-shirt',
  // Variant ids from their gids: the sample rounded the REST ids.
  variants: [variant('642667041472713922', 'Small', 75, 1), variant('757650484644203962', 'Medium', 50, 2)],
};

describe('products/create, products/update', () => {
  it('send Product Created with the product, its variants and a per-product anonymousId', () => {
    expect(mapProductCreated(sampleBody('products_create.json'), contextFor('products/create'))).toStrictEqual({
      kind: 'mapped',
      messages: [
        {
          type: 'track',
          event: 'Product Created',
          messageId: messageIdFor({ shop: testShop, kind: 'product-created', resource: productId }),
          // The sample's created_at is null: updated_at stands in.
          timestamp: '2022-01-01T00:00:00.000Z',
          anonymousId: deterministicUuid(testShop, 'product', productId),
          properties: sampleProperties,
          context: integration,
        },
      ],
    });
  });

  it('send one Product Updated per product version', () => {
    const update = (updatedAt: string) =>
      mappedMessages(mapProductUpdated({ ...sampleBody('products_update.json'), updated_at: updatedAt }, contextFor('products/update')))[0]!;
    const first = update('2024-05-01T10:00:00Z');
    expect(first).toStrictEqual({
      type: 'track',
      event: 'Product Updated',
      messageId: messageIdFor({ shop: testShop, kind: 'product-updated', resource: productId, version: '2024-05-01T10:00:00.000Z' }),
      timestamp: '2024-05-01T10:00:00.000Z',
      anonymousId: deterministicUuid(testShop, 'product', productId),
      properties: sampleProperties,
      context: integration,
    });
    expect(update('2024-05-01T06:00:00-04:00').messageId).toBe(first.messageId);
    expect(update('2024-05-02T10:00:00Z').messageId).not.toBe(first.messageId);
  });

  it('gives no url for an unpublished product, and names a price it cannot read', () => {
    const draft = { ...sampleBody('products_create.json'), published_at: null, status: 'draft' };
    const [track] = mappedMessages(mapProductCreated(draft, contextFor('products/create')));
    expect(track?.properties).not.toHaveProperty('url');
    const body = sampleBody('products_create.json');
    body.variants[1].price = 'TBD';
    expect(mapProductCreated(body, contextFor('products/create'))).toStrictEqual({
      kind: 'unmappable',
      reason: 'variants[1].price: "TBD" is not a decimal amount',
    });
  });
});

describe('products/delete', () => {
  it('sends Product Deleted, timed by X-Shopify-Triggered-At (the body is the id alone)', () => {
    const context = contextFor('products/delete', { triggeredAt: '2024-05-01T10:00:00.123Z' });
    expect(mapProductDeleted({ id: '788032119674292922' }, context)).toStrictEqual({
      kind: 'mapped',
      messages: [
        {
          type: 'track',
          event: 'Product Deleted',
          messageId: messageIdFor({ shop: testShop, kind: 'product-deleted', resource: productId }),
          timestamp: '2024-05-01T10:00:00.123Z',
          anonymousId: deterministicUuid(testShop, 'product', productId),
          properties: { product_id: productId, shopify_product_id: productId },
          context: integration,
        },
      ],
    });
  });

  it('is kept as unmappable without that header rather than stamped with our own clock', () => {
    expect(mapProductDeleted(sampleBody('products_delete.json'), contextFor('products/delete'))).toStrictEqual({
      kind: 'unmappable',
      reason: 'products/delete carries no time and X-Shopify-Triggered-At is missing',
    });
  });
});

describe('inventory_levels/update', () => {
  // Ids as parseJsonExact gives 64-bit ids: exact decimal strings.
  const level = {
    inventory_item_id: '271878346596884015',
    location_id: 24826418,
    available: 7,
    updated_at: '2024-05-01T06:00:00-04:00',
    admin_graphql_api_id: 'gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015',
  };

  it('sends Inventory Updated per item, location and version', () => {
    const [track] = mappedMessages(mapInventoryUpdated(level, contextFor('inventory_levels/update')));
    expect(track).toStrictEqual({
      type: 'track',
      event: 'Inventory Updated',
      messageId: messageIdFor({
        shop: testShop,
        kind: 'inventory-updated',
        resource: 'inventory item 271878346596884015 at location 24826418',
        version: '2024-05-01T10:00:00.000Z',
      }),
      timestamp: '2024-05-01T10:00:00.000Z',
      anonymousId: deterministicUuid(testShop, 'inventory_item', '271878346596884015'),
      properties: { inventory_item_id: '271878346596884015', location_id: '24826418', available: 7 },
      context: integration,
    });
  });

  it('says what is missing from the (empty) sample', () => {
    expect(mapInventoryUpdated(sampleBody('inventory_levels_update.json'), contextFor('inventory_levels/update'))).toStrictEqual({
      kind: 'unmappable',
      reason: 'inventory_item_id: missing; location_id: missing',
    });
  });
});
