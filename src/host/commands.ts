import * as vscode from 'vscode';

type Handler = (...args: unknown[]) => unknown;
const listeners = new Set<(id: string) => void>();

/** Told of every Omni Video command as it runs, from the palette, a menu, a lens or a script (the walkthrough's progress). */
export function onDidRunCommand(listener: (id: string) => void): vscode.Disposable {
  listeners.add(listener);
  return { dispose: () => listeners.delete(listener) };
}

/** Registers a feature's commands; each tells `onDidRunCommand` when it runs. */
export function registerCommands(commands: Record<string, Handler>): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(commands).map(([id, handler]) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        for (const listener of listeners) listener(id);
        return handler(...args);
      }),
    ),
  );
}
