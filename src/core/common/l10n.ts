/**
 * Translation for core code, which must not import `vscode`. Every user-facing message goes through
 * `l10n.t` with an English string literal with `{0}`-style placeholders, like `vscode.l10n.t`, so that
 * the same literals are the keys of `l10n/bundle.l10n.*.json` (and `test/unit/l10nStrings.ts` finds them). By default the English text is returned with its
 * placeholders filled in (plain Node, unit tests); the extension installs `vscode.l10n.t` on activation.
 *
 * Messages must be translated when they are made, never in module-level constants: those are built
 * when the module loads, before a translator is installed.
 */
export type L10nArg = string | number | boolean;
export type Translator = (message: string, ...args: L10nArg[]) => string;

/** Replaces `{0}`, `{1}`… by the arguments, in one pass (an argument's own braces are left alone). */
export function formatMessage(message: string, args: readonly L10nArg[]): string {
  return message.replace(/\{(\d+)\}/g, (match, index: string) => {
    const i = Number(index);
    return i < args.length ? String(args[i]) : match;
  });
}

const english: Translator = (message, ...args) => formatMessage(message, args);
let current: Translator = english;

export const l10n = {
  /** `message` in the user's language, with `{n}` replaced by `args[n]`. */
  t(message: string, ...args: L10nArg[]): string {
    return current(message, ...args);
  },
};

/** Installs the translator core messages go through; `undefined` restores the English default. */
export function useTranslator(translate: Translator | undefined): void {
  current = translate ?? english;
}

/** Restores the English default (tests). */
export function resetTranslator(): void {
  current = english;
}
