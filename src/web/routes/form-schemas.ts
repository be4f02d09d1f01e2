/** Schema pieces the web routes share, so each bound is written once. */
import { Type } from '@sinclair/typebox';

/** A form's `_csrf` field: verified by the web plugin's hook; declared here only to bound it. */
export const CsrfField = Type.Optional(Type.String({ maxLength: 200 }));

/** `?notice=<code>` after a redirect; notices.ts renders only the codes it knows. */
export const NoticeField = Type.Optional(Type.String({ maxLength: 40 }));

/** `:id` of a key, account or top-up request. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
