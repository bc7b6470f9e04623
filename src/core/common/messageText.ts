/**
 * VS Code renders `[label](target)` inside notification messages as a link, and `command:` targets
 * run commands when clicked. Text that came from a server, a sidecar or a prompt must stay text: a
 * zero-width space between `]` and `(` keeps it readable while no link syntax remains.
 */
export function inertMessageText(text: string): string {
  return text.replace(/\]\s*\(/g, (match) => `]\u200b${match.slice(1)}`);
}
