/**
 * The bundled top-up provider: a request is recorded as pending and an admin approves it in
 * the admin view (or rejects it). No money moves through maskd; the operator settles however
 * they like (invoice, internal budget) before approving.
 */
import { AppError } from '../../errors/app-error.js';
import { MAX_TOP_UP, MIN_TOP_UP, type TopUpProvider } from './top-up-provider.js';
import type { TopUpRequests } from './top-up-requests.js';

/** Stops one account from flooding the admin queue. */
export const MAX_PENDING_PER_ACCOUNT = 5;

export function createManualTopUpProvider(opts: { requests: TopUpRequests }): TopUpProvider {
  return {
    id: 'manual',
    description:
      'Your request is sent to the administrators of this server; credits arrive when one approves it.',
    needsApproval: true,
    async begin({ accountId, credits }) {
      if (!Number.isSafeInteger(credits) || credits < MIN_TOP_UP || credits > MAX_TOP_UP) {
        throw new AppError(
          'validation',
          `credits must be a whole number from ${MIN_TOP_UP} to ${MAX_TOP_UP}`,
          {
            field: 'credits',
            location: 'body',
          },
        );
      }
      if (opts.requests.countPending(accountId) >= MAX_PENDING_PER_ACCOUNT) {
        throw new AppError(
          'conflict',
          `You already have ${MAX_PENDING_PER_ACCOUNT} requests waiting for approval.`,
        );
      }
      return { kind: 'pending', request: opts.requests.create({ accountId, credits, provider: 'manual' }) };
    },
  };
}
