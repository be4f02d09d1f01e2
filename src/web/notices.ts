/**
 * Messages shown after a redirect, chosen by a fixed code in `?notice=`. Only codes listed here
 * render, so the query string can never put attacker-chosen text on a page.
 */
import type { PageOptions } from './html/layout.js';

const NOTICES = {
  'key-revoked': { kind: 'ok', text: 'Key revoked. Requests using it now get 401.' },
  'top-up-requested': {
    kind: 'ok',
    text: 'Top-up requested: the credits arrive when an administrator approves it.',
  },
  'top-up-invalid': { kind: 'error', text: 'Enter a whole number of credits within the allowed range.' },
  'top-up-limit': { kind: 'error', text: 'You already have several top-ups waiting for approval.' },
  granted: { kind: 'ok', text: 'Credits granted.' },
  approved: { kind: 'ok', text: 'Top-up approved; the credits were granted.' },
  rejected: { kind: 'ok', text: 'Top-up rejected.' },
  'already-decided': { kind: 'error', text: 'That top-up was already decided.' },
  disabled: { kind: 'ok', text: 'Account disabled; its sessions were ended.' },
  enabled: { kind: 'ok', text: 'Account enabled.' },
} as const satisfies Record<string, NonNullable<PageOptions['notice']>>;

export type NoticeCode = keyof typeof NOTICES;

export function noticeFor(code: unknown): PageOptions['notice'] {
  return typeof code === 'string' && Object.hasOwn(NOTICES, code) ? NOTICES[code as NoticeCode] : null;
}

export const withNotice = (path: string, code: NoticeCode) => `${path}?notice=${code}`;
