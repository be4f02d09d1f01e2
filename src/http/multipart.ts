/**
 * Reading uploads from multipart/form-data, one file in memory at a time, each capped while it
 * streams: the moment a file passes `maxBytes` reading stops and the 413 goes out, so an
 * oversized upload is never held whole nor waited for. Every parser failure becomes an
 * AppError: a truncated or malformed body is the client's 400, never our 500.
 */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../errors/app-error.js';
import type { Upload } from '../jobs/job-types.js';

const FIELD_LIMITS = { fields: 20, fieldSize: 64 * 1024, headerPairs: 100 };
/** File parts the single endpoint tolerates in all (the one it wants plus a few it ignores). */
const SINGLE_MAX_FILE_PARTS = 5;

/**
 * The one file in field `field`. Other parts are drained and ignored; the body is read to its end
 * so a second file in `field` is refused rather than silently dropped.
 * @throws no_file, malformed_body (two files, unparseable body), file_too_large.
 */
export async function readSingleUpload(
  request: FastifyRequest,
  field: string,
  maxBytes: number,
): Promise<Upload> {
  let upload: Upload | null = null;
  try {
    const parts = request.parts({
      limits: { ...FIELD_LIMITS, fileSize: maxBytes, files: SINGLE_MAX_FILE_PARTS, parts: 30 },
    });
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== field) {
        part.file.resume(); // drain and ignore
        continue;
      }
      if (upload !== null) {
        part.file.resume();
        throw new AppError('malformed_body', `Send exactly one file in the multipart field "${field}"`, {
          field,
        });
      }
      upload = await toUpload(part, maxBytes);
    }
  } catch (err) {
    throw translate(err, maxBytes);
  }
  if (upload !== null) return upload;
  throw new AppError('no_file', `No file provided: send the image in the multipart field "${field}"`, {
    field,
  });
}

/** Each file in field `field` (or `field[]`), in order. @throws file_too_large, too_many_files. */
export async function* readUploads(
  request: FastifyRequest,
  field: string,
  opts: { maxBytes: number; maxFiles: number },
): AsyncGenerator<Upload> {
  const parts = request.parts({
    limits: { ...FIELD_LIMITS, fileSize: opts.maxBytes, files: opts.maxFiles, parts: opts.maxFiles + 20 },
  });
  try {
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      if (part.fieldname === field || part.fieldname === `${field}[]`)
        yield await toUpload(part, opts.maxBytes);
      else part.file.resume(); // drain and ignore
    }
  } catch (err) {
    throw translate(err, opts.maxBytes, opts.maxFiles);
  }
}

async function toUpload(part: MultipartFile, maxBytes: number): Promise<Upload> {
  // Not `part.toBuffer()`: past the limit it keeps reading (and discarding) to the end of the
  // part, so a client streaming gigabytes would hear its 413 only after sending them all.
  // Leaving the loop destroys the part's stream, which stops reading the request.
  const chunks: Buffer[] = [];
  for await (const chunk of part.file) {
    if (part.file.truncated) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  if (part.file.truncated) throw tooLarge(maxBytes);
  return { filename: displayName(part.filename), bytes: Buffer.concat(chunks) };
}

/**
 * Only for display: the directories a browser may send are dropped, control characters removed
 * and the length bounded.
 */
function displayName(filename: string | undefined): string | null {
  const name = filename
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\p{Cc}/gu, '')
    .slice(0, 255);
  return name || null;
}

const tooLarge = (maxBytes: number) =>
  new AppError('file_too_large', `File exceeds the maximum size of ${formatBytes(maxBytes)}`, {
    field: 'file',
  });

/** `maxFiles`: the batch limit; undefined for the single endpoint. */
function translate(err: unknown, maxBytes: number, maxFiles?: number): unknown {
  if (isAppError(err)) return err;
  switch ((err as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxBytes);
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return maxFiles === undefined
        ? new AppError('malformed_body', 'Too many parts: send one image in the multipart field "file"', {
            field: 'file',
          })
        : new AppError('too_many_files', `At most ${maxFiles} files per batch`, { field: 'files' });
    case 'FST_FIELDS_LIMIT':
      return new AppError('file_too_large', 'Too many form fields', { field: 'body' });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('no_file', 'No file provided: send the image as multipart/form-data', {
        field: 'file',
      });
    default:
      // busboy's "Unexpected end of form", "Malformed part header", a premature close, …
      return new AppError(
        'malformed_body',
        'Malformed multipart/form-data body',
        { field: 'file' },
        { cause: err },
      );
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${n} bytes`;
}
