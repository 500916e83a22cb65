import type { CustomerRecord } from '../model.ts';
import type { Person } from '../people.ts';
import { exactId } from '../json-bytes.ts';

/** An order's or checkout's billing_address / shipping_address. */
export function mailingAddress(person: Person): Record<string, unknown> {
  const a = person.address;
  return {
    first_name: person.firstName,
    address1: a.address1,
    phone: a.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: a.country,
    last_name: person.lastName,
    address2: a.address2,
    company: null,
    latitude: null,
    longitude: null,
    name: `${person.firstName} ${person.lastName}`,
    country_code: a.countryCode,
    province_code: a.provinceCode,
  };
}

/** A customer's saved address (default_address, addresses[]). */
export function customerAddress(customer: CustomerRecord): Record<string, unknown> {
  const { person } = customer;
  const a = person.address;
  return {
    id: exactId(customer.addressId),
    customer_id: exactId(customer.id),
    first_name: person.firstName,
    last_name: person.lastName,
    company: null,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    country: a.country,
    zip: a.zip,
    phone: a.phone,
    name: `${person.firstName} ${person.lastName}`,
    province_code: a.provinceCode,
    country_code: a.countryCode,
    country_name: a.country,
    default: true,
  };
}
