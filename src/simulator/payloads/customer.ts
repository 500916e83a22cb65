import { gid } from '../ids.ts';
import type { CustomerRecord, ShopContext } from '../model.ts';
import { shopTimestamp } from '../timestamps.ts';
import { customerAddress } from './address.ts';
import { exactId } from '../json-bytes.ts';

/** The customer as embedded in orders and checkouts (customers/* bodies add `addresses`). */
export function embeddedCustomer(customer: CustomerRecord, shop: ShopContext, updatedAtMs: number): Record<string, unknown> {
  const { person } = customer;
  return {
    id: exactId(customer.id),
    created_at: shopTimestamp(customer.createdAtMs, shop.utcOffsetMinutes),
    updated_at: shopTimestamp(updatedAtMs, shop.utcOffsetMinutes),
    first_name: person.firstName,
    last_name: person.lastName,
    state: customer.state,
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    email: person.email,
    phone: person.phone,
    currency: person.currency,
    tax_exemptions: [],
    admin_graphql_api_id: gid('Customer', customer.id),
    default_address: customerAddress(customer),
  };
}

/** customers/create and customers/update body. */
export function customerBody(customer: CustomerRecord, shop: ShopContext, updatedAtMs: number): Record<string, unknown> {
  const { default_address, admin_graphql_api_id, tax_exemptions, ...rest } = embeddedCustomer(customer, shop, updatedAtMs);
  return {
    ...rest,
    addresses: [default_address],
    tax_exemptions,
    admin_graphql_api_id,
    default_address,
  };
}
