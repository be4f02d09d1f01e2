/**
 * The workplace's shared material the tests read in place and never copy into the repository:
 * the dev evaluation set (real photos, ground-truth masks, prompts) and the API spec document.
 *
 * It lives in `shared/` beside the repository. A checkout somewhere else points at it with
 * MASKD_SHARED_DIR (`.ci/run` does), or at another dev set with MASKD_EVAL_DIR.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** From dist/test/helpers/shared-files.js: the repository root. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const SHARED_DIR = process.env.MASKD_SHARED_DIR ?? join(REPO_ROOT, '../shared');
export const EVAL_DIR = process.env.MASKD_EVAL_DIR ?? join(SHARED_DIR, 'eval/dev');
export const SPEC_FILE = join(SHARED_DIR, 'spec/image-segmentation-api.txt');
