/**
 * Why an Admin API call failed, in terms an operator can act on. `unauthorized` and `forbidden` are never retried:
 * asking again with the same token cannot help.
 */
export type AdminApiErrorKind =
  /** 401: the access token is wrong, revoked, or belongs to another shop. */
  | 'unauthorized'
  /** 403 or ACCESS_DENIED: the token lacks a scope (the message names it). */
  | 'forbidden'
  /** 404: no such shop, or the API version is not served any more. */
  | 'not-found'
  /** 402 / 423: the shop is frozen (unpaid) or locked. */
  | 'shop-unavailable'
  /** 5xx or network errors that outlasted every retry. */
  | 'unavailable'
  /** The throttle kept refusing even after waiting as Shopify said (should not happen; bounded so it never spins). */
  | 'throttled'
  /** The query was refused (bad query, cost over the single-query limit, …). */
  | 'graphql'
  /** The answer was not the shape the query asks for. */
  | 'bad-response';

export class AdminApiError extends Error {
  override name = 'AdminApiError';
  readonly kind: AdminApiErrorKind;

  constructor(kind: AdminApiErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
