/**
 * Shared page behaviour, loaded on every page: copy buttons (`data-copy="<element id>"`) and
 * confirmation prompts on destructive forms (`data-confirm="<question>"`). Kept out of inline
 * attributes so the pages can run under a CSP without 'unsafe-inline'.
 */

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The Clipboard API needs a secure context; self-hosted instances on plain http fall back
    // to selecting the text and the legacy copy command.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

document.addEventListener('click', async (event) => {
  const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-copy]');
  if (!button) return;
  const source = document.getElementById(button.dataset.copy ?? '');
  if (!source) return;
  const text = source instanceof HTMLInputElement ? source.value : (source.textContent ?? '');
  const label = button.dataset.label ?? button.textContent ?? 'Copy';
  button.dataset.label = label;
  button.textContent = (await copyText(text)) ? 'Copied' : 'Press Ctrl+C';
  setTimeout(() => {
    button.textContent = label;
  }, 1500);
});

document.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

export {};
