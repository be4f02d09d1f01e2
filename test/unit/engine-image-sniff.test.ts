import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sniffImageFormat } from '../../src/engine/image-sniff.js';

const b = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('sniffImageFormat', () => {
  it('recognises the supported containers', () => {
    assert.equal(sniffImageFormat(b([0xff, 0xd8, 0xff, 0xe1])), 'jpeg');
    assert.equal(sniffImageFormat(b([0x89], 'PNG', [13, 10, 26, 10])), 'png');
    assert.equal(sniffImageFormat(b('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')), 'webp');
  });

  it('names common unsupported ones', () => {
    assert.equal(sniffImageFormat(b('GIF89a')), 'gif');
    assert.equal(sniffImageFormat(b('II*', [0])), 'tiff');
    assert.equal(sniffImageFormat(b('MM', [0], '*')), 'tiff');
    assert.equal(sniffImageFormat(b([0, 0, 0, 0x1c], 'ftypavif')), 'avif');
    assert.equal(sniffImageFormat(b([0, 0, 0, 0x18], 'ftypheic')), 'heic');
    assert.equal(sniffImageFormat(b([0xef, 0xbb, 0xbf], '  \n<svg>')), 'svg');
    assert.equal(sniffImageFormat(b('<?xml version="1.0"?>')), 'svg');
    assert.equal(sniffImageFormat(b('%PDF-1.7')), 'pdf');
    assert.equal(sniffImageFormat(b('BM', [0, 0])), 'bmp');
    assert.equal(sniffImageFormat(b([0, 0, 1, 0, 1, 0])), 'ico');
    assert.equal(sniffImageFormat(b('8BPS')), 'psd');
  });

  it('returns null for anything else, including RIFF that is not WebP', () => {
    assert.equal(sniffImageFormat(b('RIFF', [1, 2, 3, 4], 'WAVEfmt ')), null);
    assert.equal(sniffImageFormat(b('hello world')), null);
    assert.equal(sniffImageFormat(new Uint8Array(0)), null);
    assert.equal(sniffImageFormat(b([0xff, 0xd8])), null, 'two bytes are not enough for JPEG');
  });
});
