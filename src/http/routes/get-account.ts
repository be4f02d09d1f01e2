/** GET /v1/account — the caller's account, balance and limits. */
import { Type } from '@sinclair/typebox';
import { BEARER_SECURITY, type RouteModule } from '../app-type.js';
import { accountOf } from '../authenticate.js';
import { errorResponses } from '../schemas.js';

const Limit = Type.Object({ requests: Type.Integer(), window_seconds: Type.Integer() });
const AccountBody = Type.Object({
  id: Type.String(),
  email: Type.String(),
  balance: Type.Integer({ description: 'Credits available' }),
  credits_per_image: Type.Integer(),
  rate_limits: Type.Object({ single: Limit, batch: Limit }),
  created_at: Type.String({ format: 'date-time' }),
});

export const getAccountRoute: RouteModule = (app, { deps, authenticate }) => {
  app.get(
    '/v1/account',
    {
      schema: {
        summary: 'Your account',
        tags: ['account'],
        security: BEARER_SECURITY,
        response: { 200: { ...AccountBody, description: 'Your account' }, ...errorResponses(401, 403) },
      },
      onRequest: [authenticate],
    },
    async (request) => {
      const account = accountOf(request);
      const { rateLimits, credits } = deps.config;
      return {
        id: account.id,
        email: account.email,
        balance: deps.credits.balance(account.id),
        credits_per_image: credits.perImage,
        rate_limits: {
          single: { requests: rateLimits.single, window_seconds: rateLimits.windowSeconds },
          batch: { requests: rateLimits.batch, window_seconds: rateLimits.windowSeconds },
        },
        created_at: new Date(account.createdAt).toISOString(),
      };
    },
  );
};
