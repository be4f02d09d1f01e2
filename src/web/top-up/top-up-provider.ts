/**
 * How a user's "top up" turns into credits. The web app calls `begin`; the provider either
 * records a request for someone to approve (the bundled manual provider) or sends the browser
 * to a checkout page (a payment provider). Either way credits arrive only through
 * `TopUpRequests.complete`, which grants them through the same credit ledger the API debits.
 * docs/top-up-providers.md describes writing a payment provider.
 */
import type { App } from '../../http/app-type.js';
import type { TopUpRequest } from './top-up-requests.js';

export type TopUpStart =
  /** Recorded; credits arrive when an admin (or a later callback) completes it. */
  | { kind: 'pending'; request: TopUpRequest }
  /** Send the browser to `url` (same tab); the provider completes the request when paid. */
  | { kind: 'redirect'; request: TopUpRequest; url: string };

export interface TopUpProvider {
  /** Stored on each request, e.g. `manual`, `stripe`. */
  readonly id: string;
  /** One sentence shown beside the top-up form. */
  readonly description: string;
  /** True when requests wait in the admin view's approval queue. */
  readonly needsApproval: boolean;
  /** @throws AppError `validation` (bad amount) or `conflict` (too many open requests). */
  begin(input: { accountId: string; credits: number; returnUrl: string }): Promise<TopUpStart>;
  /**
   * Optional routes the provider needs, typically the payment webhook that calls
   * `TopUpRequests.complete`. They are registered in a context of their own: no session, no
   * CSRF check (a webhook carries neither), so each route must authenticate its caller itself,
   * e.g. by verifying the payment provider's signature.
   */
  routes?(app: App): void;
}

/** Bounds on one request, whatever the provider. */
export const MIN_TOP_UP = 1;
export const MAX_TOP_UP = 1_000_000;
