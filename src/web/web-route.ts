/** What a web route module receives, and its shape (mirrors the API's `RouteModule`). */
import type { Deps } from '../deps.js';
import type { App } from '../http/app-type.js';
import type { WebServices } from './web-services.js';

export type WebDeps = Pick<
  Deps,
  'config' | 'clock' | 'accounts' | 'apiKeys' | 'credits' | 'jobs' | 'signer'
> & {
  web: WebServices;
};

export type WebRoute = (app: App, deps: WebDeps) => void;
