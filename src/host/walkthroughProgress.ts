import * as vscode from 'vscode';
import { WALKTHROUGH_STEP_COMMANDS, walkthroughContextKey as contextKey } from '../shared/ids';

/**
 * The Get Started walkthrough's steps, ticked through context keys (docs/decisions.md, "A walkthrough
 * that ticks"): VS Code counts an `onCommand:` completion event only for a command run while its
 * walkthrough service exists, which it creates only when a walkthrough is shown; and never for one run
 * by a script. An `onContext:` event is checked whenever the steps are registered, so each step also
 * completes on `omniVideo.walkthrough.<step>`, set here once one of its commands has run, and kept.
 */
const DONE_KEY = 'omniVideo.walkthroughStepsDone';

export class WalkthroughProgress {
  constructor(private readonly globalState: vscode.Memento) {
    for (const step of this.done()) void vscode.commands.executeCommand('setContext', contextKey(step), true);
  }

  /** A command ran: the step it belongs to is done. */
  ran(command: string): void {
    const step = Object.keys(WALKTHROUGH_STEP_COMMANDS).find((s) => WALKTHROUGH_STEP_COMMANDS[s].includes(command));
    if (!step || this.done().includes(step)) return;
    void this.globalState.update(DONE_KEY, [...this.done(), step]);
    void vscode.commands.executeCommand('setContext', contextKey(step), true);
  }

  private done(): string[] {
    const value = this.globalState.get<unknown>(DONE_KEY);
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
  }
}
