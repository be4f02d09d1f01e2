/**
 * Keyboard map for the playground stage, so every essential works without a mouse:
 *
 *   arrows        move the crosshair (Shift: 10× faster)
 *   Enter / F     foreground point at the crosshair
 *   B             background point at the crosshair
 *   X             box corner at the crosshair (press twice: first and opposite corner)
 *   Delete        remove the point nearest the crosshair
 *   Backspace / Ctrl+Z / Cmd+Z   undo
 *   Esc           clear all prompts
 */

export type KeyAction =
  | { kind: 'move'; dx: number; dy: number }
  | { kind: 'point'; label: 0 | 1 }
  | { kind: 'box-corner' }
  | { kind: 'remove' }
  | { kind: 'undo' }
  | { kind: 'clear' };

export function keyAction(
  e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>,
): KeyAction | null {
  const fast = e.shiftKey ? 10 : 1;
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') return { kind: 'undo' };
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'ArrowLeft':
      return { kind: 'move', dx: -fast, dy: 0 };
    case 'ArrowRight':
      return { kind: 'move', dx: fast, dy: 0 };
    case 'ArrowUp':
      return { kind: 'move', dx: 0, dy: -fast };
    case 'ArrowDown':
      return { kind: 'move', dx: 0, dy: fast };
    case 'Enter':
    case 'f':
    case 'F':
      return { kind: 'point', label: 1 };
    case 'b':
    case 'B':
      return { kind: 'point', label: 0 };
    case 'x':
    case 'X':
      return { kind: 'box-corner' };
    case 'Delete':
      return { kind: 'remove' };
    case 'Backspace':
      return { kind: 'undo' };
    case 'Escape':
      return { kind: 'clear' };
    default:
      return null;
  }
}
