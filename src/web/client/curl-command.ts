/**
 * The curl command equivalent to the playground's current request, for copy-paste. Brackets
 * and commas stay readable in the URL; `-g` stops curl treating `[]` as a glob.
 */

export function curlCommand(opts: {
  baseUrl: string;
  query: Record<string, string>;
  filename: string;
}): string {
  const qs = Object.entries(opts.query)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const url = `${opts.baseUrl}/v1/services/image-segmentation${qs ? `?${qs}` : ''}`;
  // The URL on a line of its own: it is the long part, and the part people edit.
  return [
    'curl -g -X POST \\',
    `  ${shellQuote(url)} \\`,
    // Double quotes: the shell expands the variable, so the key never sits in the command.
    '  -H "Authorization: Bearer $MASKD_API_KEY" \\',
    `  -F ${shellQuote(`file=@${opts.filename || 'image.jpg'}`)}`,
  ].join('\n');
}

/** POSIX single-quoting: safe for any filename, including ones with quotes or `$`. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./[\]-]+$/.test(s) ? `"${s}"` : `'${s.replace(/'/g, `'\\''`)}'`;
}
