/** HTML-escape text (element content and double-quoted attributes): the one escape every layer uses. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Markdown-escape text for a table cell, title or note: HTML markup becomes entities (shown as text, never run)
 * and Markdown's emphasis, code, link and table characters are backslash-escaped (so "0.48***" keeps its stars).
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|])/g, '\\$1');
}
