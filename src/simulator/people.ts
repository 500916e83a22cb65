import type { Prng } from './prng.ts';
import type { CurrencyCode } from './money.ts';

/** A postal address in the simulator's own terms (payload builders turn it into Shopify's shapes). */
export interface Address {
  address1: string;
  address2: string | null;
  city: string;
  province: string | null;
  provinceCode: string | null;
  country: string;
  countryCode: string;
  zip: string;
  phone: string;
}

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  address: Address;
  /** Shopify's customer_locale, e.g. "en", "de", "ja". */
  locale: string;
  acceptLanguage: string;
  currency: CurrencyCode;
  /** Sales tax / VAT in basis points where this person's goods ship. */
  taxRateBp: number;
  taxTitle: string;
}

interface Region {
  province: string | null;
  provinceCode: string | null;
  city: string;
  zip: string;
  taxRateBp: number;
}

interface Country {
  code: string;
  name: string;
  currency: CurrencyCode;
  locale: string;
  acceptLanguage: string;
  taxTitle: string;
  phonePrefix: string;
  streets: readonly string[];
  regions: readonly Region[];
  firstNames: readonly string[];
  lastNames: readonly string[];
}

const englishFirst = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'James', 'Sophia', 'Lucas', 'Mia', 'Ethan'];
const englishLast = ['Smith', 'Johnson', 'Brown', 'Taylor', 'Walker', 'Harris', 'Clarke', 'Lewis', 'Young', 'King'];

const us: Country = {
  code: 'US', name: 'United States', currency: 'USD', locale: 'en', acceptLanguage: 'en-US,en;q=0.9',
  taxTitle: 'Sales Tax', phonePrefix: '+1415555', streets: ['Market Street', 'Elm Avenue', 'Oak Lane', 'Pine Road'],
  regions: [
    { province: 'California', provinceCode: 'CA', city: 'San Francisco', zip: '94107', taxRateBp: 725 },
    { province: 'New York', provinceCode: 'NY', city: 'Brooklyn', zip: '11201', taxRateBp: 400 },
    { province: 'Texas', provinceCode: 'TX', city: 'Austin', zip: '78701', taxRateBp: 625 },
    { province: 'Washington', provinceCode: 'WA', city: 'Seattle', zip: '98101', taxRateBp: 650 },
  ],
  firstNames: englishFirst, lastNames: englishLast,
};

const countries: readonly Country[] = [
  us,
  {
    code: 'DE', name: 'Germany', currency: 'EUR', locale: 'de', acceptLanguage: 'de-DE,de;q=0.9,en;q=0.8',
    taxTitle: 'DE MwSt', phonePrefix: '+49301234', streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg'],
    regions: [
      { province: null, provinceCode: null, city: 'Berlin', zip: '10115', taxRateBp: 1900 },
      { province: null, provinceCode: null, city: 'München', zip: '80331', taxRateBp: 1900 },
    ],
    firstNames: ['Lena', 'Jonas', 'Mia', 'Felix', 'Hannah', 'Paul'], lastNames: ['Müller', 'Schmidt', 'Weber', 'Fischer', 'Becker'],
  },
  {
    code: 'FR', name: 'France', currency: 'EUR', locale: 'fr', acceptLanguage: 'fr-FR,fr;q=0.9,en;q=0.8',
    taxTitle: 'FR TVA', phonePrefix: '+33140000', streets: ['Rue de la Paix', 'Avenue Victor Hugo', 'Rue Oberkampf'],
    regions: [{ province: null, provinceCode: null, city: 'Paris', zip: '75011', taxRateBp: 2000 }],
    firstNames: ['Camille', 'Louis', 'Chloé', 'Hugo', 'Léa'], lastNames: ['Martin', 'Bernard', 'Dubois', 'Laurent'],
  },
  {
    code: 'GB', name: 'United Kingdom', currency: 'GBP', locale: 'en-GB', acceptLanguage: 'en-GB,en;q=0.9',
    taxTitle: 'GB VAT', phonePrefix: '+44207946', streets: ['High Street', 'Station Road', 'Church Lane'],
    regions: [
      { province: 'England', provinceCode: 'ENG', city: 'London', zip: 'SW1A 1AA', taxRateBp: 2000 },
      { province: 'Scotland', provinceCode: 'SCT', city: 'Edinburgh', zip: 'EH1 1YZ', taxRateBp: 2000 },
    ],
    firstNames: englishFirst, lastNames: englishLast,
  },
  {
    code: 'JP', name: 'Japan', currency: 'JPY', locale: 'ja', acceptLanguage: 'ja-JP,ja;q=0.9,en;q=0.7',
    taxTitle: 'JP 消費税', phonePrefix: '+81312345', streets: ['Jingumae', 'Shibuya', 'Ginza'],
    regions: [
      { province: 'Tōkyō', provinceCode: 'JP-13', city: 'Shibuya City', zip: '150-0001', taxRateBp: 1000 },
      { province: 'Ōsaka', provinceCode: 'JP-27', city: 'Osaka', zip: '530-0001', taxRateBp: 1000 },
    ],
    firstNames: ['Yui', 'Haruto', 'Sakura', 'Ren', 'Aoi'], lastNames: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Ito'],
  },
];

/** A new, fictional shopper living where `currency` is spent; `serial` keeps emails unique. */
export function createPerson(prng: Prng, currency: CurrencyCode, serial: number): Person {
  const country = prng.pick(countries.filter((c) => c.currency === currency));
  const region = prng.pick(country.regions);
  const firstName = prng.pick(country.firstNames);
  const lastName = prng.pick(country.lastNames);
  const phone = `${country.phonePrefix}${String(prng.int(0, 999)).padStart(3, '0')}`;
  const address: Address = {
    address1: `${prng.int(1, 250)} ${prng.pick(country.streets)}`,
    address2: prng.chance(0.2) ? `Apt ${prng.int(1, 40)}` : null,
    city: region.city, province: region.province, provinceCode: region.provinceCode,
    country: country.name, countryCode: country.code, zip: region.zip, phone,
  };
  return {
    firstName, lastName, email: emailFor(firstName, lastName, serial), phone, address,
    locale: country.locale, acceptLanguage: country.acceptLanguage, currency,
    taxRateBp: region.taxRateBp, taxTitle: country.taxTitle,
  };
}

function emailFor(firstName: string, lastName: string, serial: number): string {
  const ascii = (s: string): string => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
  return `${ascii(firstName)}.${ascii(lastName)}.${serial}@example.com`;
}

/** The shop's own POS location address (New York), taxed at its rate. */
export const storeLocation = { id: 62_137_860_143n, address: us.regions[1] as Region, taxTitle: us.taxTitle };

export const userAgents: readonly string[] = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
];

/** An address from the documentation ranges (RFC 5737), never a real visitor's. */
export function documentationIp(prng: Prng): string {
  const block = prng.pick(['192.0.2', '198.51.100', '203.0.113']);
  return `${block}.${prng.int(1, 254)}`;
}
